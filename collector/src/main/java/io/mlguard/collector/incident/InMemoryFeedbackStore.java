package io.mlguard.collector.incident;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** A {@link FeedbackStore} in memory: for tests, and as the durable store's read side. */
public final class InMemoryFeedbackStore implements FeedbackStore {
    private final Map<String, List<Feedback>> byIncident = new ConcurrentHashMap<>();
    private final AtomicLong version = new AtomicLong();

    @Override
    public void add(Feedback f) {
        byIncident.compute(
                f.incidentId(),
                (id, old) -> {
                    List<Feedback> l = old == null ? new ArrayList<>() : new ArrayList<>(old);
                    l.add(f);
                    return List.copyOf(l);
                });
        version.incrementAndGet();
    }

    @Override
    public List<Feedback> forIncident(String incidentId) {
        return byIncident.getOrDefault(incidentId, List.of());
    }

    @Override
    public long version() {
        return version.get();
    }
}
