package io.mlguard.collector.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlguard.collector.TestTraffic;
import io.mlguard.collector.incident.ThresholdTuner;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The detectors at the highest multiplier feedback can give them: borderline benign streams stop
 * alarming, and clear attacks are still caught (the floors ThresholdTuner documents).
 */
class TunedDetectorsTest {
    private final List<Signal> signals = new ArrayList<>();
    private long index;

    private static Sensitivity atCap(SignalType type) {
        Sensitivity s = new Sensitivity();
        s.set(type, ThresholdTuner.cap(type));
        return s;
    }

    /** Sends a stream; returns the 1-based query number of the first signal, or -1. */
    private int send(Detector d, List<byte[]> stream, String client) {
        int first = -1;
        for (int q = 0; q < stream.size(); q++) {
            int before = signals.size();
            d.onInference(
                    TestTraffic.withFingerprint("mnist", client, 1000L * index, stream.get(q)),
                    index++,
                    signals::add);
            if (first < 0 && signals.size() > before) {
                first = q + 1;
            }
        }
        return first;
    }

    /** Bursts of 16 near-identical frames: borderline, 15 near-duplicates against 12 needed. */
    private static List<byte[]> longBursts(long seed) {
        List<byte[]> out = new ArrayList<>();
        List<byte[]> frames = QueryStreams.bursts(20 * 10, seed);
        // QueryStreams.bursts makes bursts of ten; six more frames make each 16 long: copies of
        // its first six with one cell nudged, so none is an exact repeat (which is not counted)
        for (int b = 0; b < 20; b++) {
            List<byte[]> burst = frames.subList(10 * b, 10 * b + 10);
            out.addAll(burst);
            for (int extra = 0; extra < 6; extra++) {
                byte[] f = burst.get(extra).clone();
                f[extra] = (byte) Math.min(255, (f[extra] & 0xff) + 1);
                out.add(f);
            }
        }
        return out;
    }

    @Test
    void queryAttackAtTheCapIgnoresLongBurstsButCatchesAttackWalks() {
        List<byte[]> bursts = longBursts(5);
        assertThat(send(new QueryAttackDetector(), bursts, "video")).isPositive();
        signals.clear();
        assertThat(send(new QueryAttackDetector(atCap(SignalType.QUERY_ATTACK)), bursts, "video"))
                .isEqualTo(-1);
        for (int seed = 0; seed < 20; seed++) {
            signals.clear();
            QueryAttackDetector tuned = new QueryAttackDetector(atCap(SignalType.QUERY_ATTACK));
            int at = send(tuned, QueryStreams.attackWalk(seed * 7, 200, seed), "attacker");
            assertThat(at).as("seed %d", seed).isBetween(24, 60);
            assertThat(signals.get(0).evidence())
                    .containsEntry("threshold", 24L)
                    .containsEntry("thresholdMultiplier", 2.0);
        }
    }

    @Test
    void extractionAtTheCapStillCatchesJacobianAugmentation() {
        for (double step : new double[] {8, 16, 32}) {
            for (int seed = 0; seed < 3; seed++) {
                signals.clear();
                ExtractionDetector tuned = new ExtractionDetector(atCap(SignalType.EXTRACTION));
                int at = send(tuned, ExtractionDetectorTest.jbda(1000, step, seed), "thief");
                assertThat(at).as("step %s seed %d", step, seed).isBetween(1, 1000);
                assertThat((double) signals.get(0).evidence().get("wThreshold"))
                        .isCloseTo(0.91, org.assertj.core.data.Offset.offset(1e-9));
            }
        }
    }
}
