package io.mlguard.collector.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlguard.collector.TestTraffic;
import io.mlguard.protocol.InferenceRecord;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The query-attack and extraction detectors, saved after N queries and restored into fresh ones,
 * raise exactly the signals the uninterrupted ones raise on the next queries, and end in the same
 * state: rings, distance windows, counters and the clients' eviction order included.
 */
class FingerprintCheckpointTest {
    private static final int QUERIES = 12_000;
    static final List<InferenceRecord> TRAFFIC = traffic();

    /** An attacker, an attacker rotating ids, a model thief and benign clients, interleaved. */
    private static List<InferenceRecord> traffic() {
        List<byte[]> attack = QueryStreams.attackWalk(5, QUERIES / 4, 1);
        List<byte[]> rotating = QueryStreams.attackWalk(9, QUERIES / 4, 2);
        List<byte[]> benign = QueryStreams.independent(QUERIES / 4, 3);
        List<byte[]> theft = ExtractionDetectorTest.jbda(QUERIES / 4, 16, 4);
        List<InferenceRecord> out = new ArrayList<>();
        for (int q = 0; q < QUERIES / 4; q++) {
            long t = 1_700_000_000_000L + q * 100L;
            out.add(TestTraffic.withFingerprint("m", "attacker", t, attack.get(q)));
            out.add(TestTraffic.withFingerprint("m", "rot-" + q, t + 1, rotating.get(q)));
            out.add(TestTraffic.withFingerprint("m", "u" + (q % 2_500), t + 2, benign.get(q)));
            out.add(TestTraffic.withFingerprint("m", "thief", t + 3, theft.get(q)));
        }
        return out;
    }

    static List<Detector> detectors() {
        return List.of(
                new QueryAttackDetector(),
                new ExtractionDetector(
                        Sensitivity.untuned(), 2_048, ExtractionDetector.MAX_STORED));
    }

    static void feed(List<Detector> ds, int from, int to, List<String> signals) {
        for (int k = from; k < to; k++) {
            int index = k;
            for (Detector d : ds) {
                d.onInference(TRAFFIC.get(k), k, s -> signals.add(index + " " + s));
            }
        }
    }

    static List<String> states(List<Detector> ds) {
        List<String> out = new ArrayList<>();
        for (Detector d : ds) {
            out.add(((Checkpointable) d).saveState());
        }
        return out;
    }

    @Test
    void restoredDetectorsRaiseTheSameSignals() {
        List<Detector> whole = detectors();
        List<String> all = new ArrayList<>();
        feed(whole, 0, TRAFFIC.size(), all);
        assertThat(all).anyMatch(s -> s.contains("near_duplicate_queries_across_clients"));
        assertThat(all).anyMatch(s -> s.contains("/near_duplicate_queries "));
        assertThat(all).anyMatch(s -> s.contains("non_normal_query_distances"));
        assertThat(((QueryAttackDetector) whole.get(0)).clientEvictions()).isPositive();
        assertThat(((ExtractionDetector) whole.get(1)).clientEvictions()).isPositive();

        for (int n : new int[] {1_000, 6_001, 9_998}) {
            List<Detector> original = detectors();
            feed(original, 0, n, new ArrayList<>());
            List<String> saved = states(original);
            List<Detector> restored = detectors();
            for (int i = 0; i < restored.size(); i++) {
                ((Checkpointable) restored.get(i)).restoreState(saved.get(i));
            }
            assertThat(states(restored)).isEqualTo(saved);
            List<String> expected = new ArrayList<>();
            List<String> actual = new ArrayList<>();
            feed(original, n, TRAFFIC.size(), expected);
            feed(restored, n, TRAFFIC.size(), actual);
            assertThat(actual).as("resumed after %d", n).isEqualTo(expected);
            assertThat(states(restored)).isEqualTo(states(original));
            assertThat(((QueryAttackDetector) restored.get(0)).clientEvictions())
                    .isEqualTo(((QueryAttackDetector) whole.get(0)).clientEvictions());
        }
    }
}
