package io.mlguard.collector.explain.llm;

import io.mlguard.collector.explain.DeterministicExplainer;
import io.mlguard.collector.explain.Explainer;
import io.mlguard.collector.explain.Explanation;
import io.mlguard.collector.explain.IncidentFacts;
import io.mlguard.collector.incident.Incident;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Answers at once and enriches later: {@link #explain} returns the deterministic explanation (or
 * the LLM's latest for that incident) without waiting, and queues the incident for the LLM on one
 * background thread with a bounded queue. When the answer arrives, {@code publish} puts it on the
 * incident. A full queue drops the request (counted); a slow or dead LLM only delays enrichment.
 */
public final class AsyncExplainer implements Explainer, AutoCloseable {
    private static final int MAX_REMEMBERED = 10_000;

    private final LlmExplainer llm;
    private final DeterministicExplainer deterministic = new DeterministicExplainer();
    private final Function<String, Optional<Incident>> lookup;
    private final BiConsumer<String, Explanation> publish;
    private final ThreadPoolExecutor executor;
    private final Set<String> queued = Collections.synchronizedSet(new HashSet<>());
    private final Map<String, Done> done =
            Collections.synchronizedMap(
                    new LinkedHashMap<>(16, 0.75f, true) {
                        @Override
                        protected boolean removeEldestEntry(Map.Entry<String, Done> e) {
                            return size() > MAX_REMEMBERED;
                        }
                    });
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong completed = new AtomicLong();

    private record Done(long count, Explanation explanation) {}

    /**
     * @param lookup the incident's latest state by id (it may have grown since it was queued)
     * @param publish puts a finished explanation on the incident with that id
     */
    public AsyncExplainer(
            LlmExplainer llm,
            int queueCapacity,
            Function<String, Optional<Incident>> lookup,
            BiConsumer<String, Explanation> publish) {
        this.llm = llm;
        this.lookup = lookup;
        this.publish = publish;
        this.executor =
                new ThreadPoolExecutor(
                        1,
                        1,
                        0,
                        TimeUnit.MILLISECONDS,
                        new ArrayBlockingQueue<>(queueCapacity),
                        r -> {
                            Thread t = new Thread(r, "mlguard-llm-explainer");
                            t.setDaemon(true);
                            return t;
                        });
    }

    @Override
    public Explanation explain(Incident incident) {
        Done d = done.get(incident.id());
        if (d == null || d.count != incident.count()) {
            enqueue(incident);
        }
        if (d != null && Explanation.SOURCE_LLM.equals(d.explanation.source())) {
            return d.explanation;
        }
        Explanation now = deterministic.explain(incident);
        return d == null ? now : now.withFallbackReason(d.explanation.fallbackReason());
    }

    private void enqueue(Incident snapshot) {
        String id = snapshot.id();
        if (!queued.add(id)) {
            return; // already waiting: the job reads the latest state when it runs
        }
        try {
            executor.execute(() -> run(snapshot));
        } catch (RejectedExecutionException e) {
            queued.remove(id);
            dropped.incrementAndGet();
        }
    }

    private void run(Incident snapshot) {
        String id = snapshot.id();
        queued.remove(id);
        // The caller stores the incident only after explain() returns, so the job may start
        // before the store has it; later, the store has the latest state.
        Incident incident = lookup.apply(id).orElse(snapshot);
        Explanation e = llm.explain(IncidentFacts.of(incident));
        done.put(id, new Done(incident.count(), e));
        publish.accept(id, e);
        completed.incrementAndGet();
    }

    /** Requests not queued because the queue was full. */
    public long droppedRequests() {
        return dropped.get();
    }

    /** Explanations finished (by the LLM or by fallback). */
    public long completedRequests() {
        return completed.get();
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
