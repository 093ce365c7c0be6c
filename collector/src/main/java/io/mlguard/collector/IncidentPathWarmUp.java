package io.mlguard.collector;

import io.mlguard.collector.api.IncidentJson;
import io.mlguard.collector.detect.Severity;
import io.mlguard.collector.detect.Signal;
import io.mlguard.collector.detect.SignalType;
import io.mlguard.collector.explain.DeterministicExplainer;
import io.mlguard.collector.incident.InMemoryIncidentStore;
import io.mlguard.collector.incident.IncidentManager;
import java.time.Clock;

/**
 * Runs one throw-away signal of every type through a private incident manager, the deterministic
 * explainer and the API's JSON at start-up, before ingest begins. Measured here, the first incident
 * of a fresh collector took about 240 ms on the ingest thread (class loading and initialisation of
 * the incident, explanation and digest code) and its first JSON about 600 ms more: that was the
 * whole inference-to-incident latency of a collector's first incident. Nothing reaches the real
 * store.
 */
final class IncidentPathWarmUp {
    /** Reasons the detectors give, whose explanations take their own paths. */
    private static final String[] REASONS = {
        "window_shift",
        "cusum_shift",
        "class_priors_shift",
        "nan_or_inf",
        "out_of_range",
        "hash_changed",
        "near_duplicate_queries"
    };

    private IncidentPathWarmUp() {}

    /** Returns how many warm-up incidents were made (one per signal type). */
    static int run() {
        InMemoryIncidentStore scratch = new InMemoryIncidentStore();
        IncidentManager m =
                new IncidentManager(
                        scratch,
                        new DeterministicExplainer(),
                        Clock.systemUTC(),
                        IncidentManager.DEFAULT_QUIET_WINDOW,
                        SignalType.values().length);
        long index = 0;
        for (SignalType type : SignalType.values()) {
            m.accept(
                    Signal.builder(type, Severity.LOW, "warm_up")
                            .model("warm-up")
                            .client(type.perClient() ? "warm-up" : null)
                            .record(index++, 0)
                            .evidence("warmUp", 1)
                            .build());
            // Then the detectors' own reasons with evidence of every kind (numbers, strings,
            // arrays), which join the group above: a first drift incident otherwise still took
            // ~100-400 ms between opening and the API (templates, chart arrays, their JSON).
            for (String reason : REASONS) {
                m.accept(
                        Signal.builder(type, Severity.MEDIUM, reason)
                                .model("warm-up")
                                .client(type.perClient() ? "warm-up" : null)
                                .record(index++, 1)
                                .evidence("statistic", "input.mean")
                                .evidence("input", "input")
                                .evidence("direction", "up")
                                .evidence("psi", 0.5)
                                .evidence("ksStatistic", 0.3)
                                .evidence("ksPValue", 1e-6)
                                .evidence("jsDivergenceBits", 0.1)
                                .evidence("observedMin", -1.0)
                                .evidence("observedMax", 2.0)
                                .evidence("referenceMin", 0.0)
                                .evidence("referenceMax", 1.0)
                                .evidence("windowSize", 500L)
                                .evidence("expectedSha256", "0".repeat(64))
                                .evidence("binUpperEdges", new double[] {0.1, 0.5, 0.9})
                                .evidence("referenceShares", new double[] {0.3, 0.4, 0.3})
                                .evidence("recentShares", new double[] {0.1, 0.2, 0.7})
                                .evidence("histogram", new long[] {1, 2, 3})
                                .build());
            }
        }
        IncidentJson.toJson(scratch.list());
        return scratch.size();
    }
}
