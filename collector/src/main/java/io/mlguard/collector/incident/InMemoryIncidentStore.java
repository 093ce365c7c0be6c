package io.mlguard.collector.incident;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** An {@link IncidentStore} in a concurrent map; incidents are immutable, so reads need no lock. */
public final class InMemoryIncidentStore implements IncidentStore {
    /** Newest first; the id breaks ties so the order is stable across calls and replays. */
    public static final Comparator<Incident> NEWEST_FIRST =
            Comparator.comparingLong(Incident::firstSeen)
                    .thenComparingLong(Incident::firstRecordIndex)
                    .reversed()
                    .thenComparing(Incident::id);

    private final Map<String, Incident> byId = new ConcurrentHashMap<>();
    private final AtomicLong version = new AtomicLong();

    @Override
    public void put(Incident incident) {
        byId.put(incident.id(), incident);
        version.incrementAndGet();
    }

    @Override
    public Optional<Incident> get(String id) {
        return Optional.ofNullable(id == null ? null : byId.get(id));
    }

    @Override
    public boolean remove(String id) {
        boolean removed = byId.remove(id) != null;
        if (removed) {
            version.incrementAndGet();
        }
        return removed;
    }

    @Override
    public List<Incident> list() {
        List<Incident> all = new ArrayList<>(byId.values());
        all.sort(NEWEST_FIRST);
        return all;
    }

    @Override
    public int size() {
        return byId.size();
    }

    @Override
    public long version() {
        return version.get();
    }
}
