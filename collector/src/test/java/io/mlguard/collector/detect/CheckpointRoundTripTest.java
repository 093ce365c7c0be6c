package io.mlguard.collector.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlguard.collector.TestTraffic;
import io.mlguard.collector.profile.ProfileTracker;
import io.mlguard.protocol.InferenceRecord;
import io.mlguard.protocol.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Saves the traffic-learnt detectors after N records, restores them into fresh ones, and feeds the
 * next M records to both: the restored pipeline must raise exactly the same signals (evidence
 * included) and end in exactly the same state as the one that never stopped.
 */
class CheckpointRoundTripTest {
    private static final int PROFILE = 2_000;

    /** The detectors under test, in pipeline order: the tracker first, as in the collector. */
    private static List<Detector> pipeline() {
        ProfileTracker profiles = new ProfileTracker(PROFILE, List.of());
        return List.of(
                profiles,
                new DriftDetector(profiles, 200, 1_000),
                new OperationalDetector(profiles, 1_000));
    }

    /**
     * Deterministic traffic for record k: two models, drift and slow-down and a rate change late.
     */
    private static InferenceRecord record(long k) {
        Random random = new Random(k * 7919 + 13);
        boolean late = k >= 7_000;
        double mean = (late ? 0.4 : 0.1) + 0.05 * random.nextGaussian();
        double latency = (late ? 1.6 : 1) * 20_000 * Math.exp(0.3 * random.nextGaussian());
        int predicted = late ? random.nextInt(3) : random.nextInt(10);
        InferenceRecord r =
                TestTraffic.classified(
                        "m" + (k % 2),
                        "c" + (k % 7),
                        1_700_000_000_000L
                                + Math.min(k, 7_000) * 600
                                + Math.max(0, k - 7_000) * 150,
                        mean,
                        0.3 + 0.02 * random.nextGaussian(),
                        predicted,
                        0.5 + 0.4 * random.nextDouble(),
                        (long) latency);
        if (random.nextDouble() < (late ? 0.2 : 0.01)) {
            r.outcome = Outcome.ERROR;
            r.outputCount = 0;
        }
        return r;
    }

    private static void feed(List<Detector> ds, long from, long to, List<String> signals) {
        for (long k = from; k < to; k++) {
            InferenceRecord r = record(k);
            long index = k;
            for (Detector d : ds) {
                d.onInference(r, k, s -> signals.add(index + " " + s));
            }
        }
    }

    private static List<String> states(List<Detector> ds) {
        List<String> out = new ArrayList<>();
        for (Detector d : ds) {
            out.add(((Checkpointable) d).saveState());
        }
        return out;
    }

    private static void assertResumesExactly(Supplier<List<Detector>> make, long n, long m) {
        List<Detector> original = make.get();
        feed(original, 0, n, new ArrayList<>());
        List<String> saved = states(original);
        List<Detector> restored = make.get();
        for (int i = 0; i < restored.size(); i++) {
            ((Checkpointable) restored.get(i)).restoreState(saved.get(i));
        }
        assertThat(states(restored)).isEqualTo(saved);

        List<String> expected = new ArrayList<>();
        List<String> actual = new ArrayList<>();
        feed(original, n, n + m, expected);
        feed(restored, n, n + m, actual);
        assertThat(actual).isEqualTo(expected);
        assertThat(states(restored)).isEqualTo(states(original));
    }

    @Test
    void profilesStillBeingBuiltResumeExactly() {
        // 2,000 records per model profile, saved halfway through the first model's window
        assertResumesExactly(CheckpointRoundTripTest::pipeline, 1_500, 7_000);
    }

    @Test
    void reservoirsPastTheirCapacityResumeExactly() {
        // a window larger than the reservoir, so the sample's random replacement must continue
        assertResumesExactly(
                () -> {
                    ProfileTracker profiles = new ProfileTracker(12_000, List.of());
                    return List.of(profiles, new OperationalDetector(profiles, 1_000));
                },
                15_000,
                15_000);
    }

    @Test
    void driftAndOperationalStateResumeExactlyAndSignalsDoFollow() {
        List<String> signals = new ArrayList<>();
        feed(pipeline(), 0, 12_000, signals);
        // the late traffic drifts, slows, fails and speeds up: the test compares real signals
        assertThat(signals).anyMatch(s -> s.contains("drift/"));
        assertThat(signals).anyMatch(s -> s.contains("latency_shift"));
        assertThat(signals).anyMatch(s -> s.contains("error_rate_shift"));
        assertThat(signals).anyMatch(s -> s.contains("throughput_spike"));
        for (long n : new long[] {4_500, 7_100, 8_333}) {
            assertResumesExactly(CheckpointRoundTripTest::pipeline, n, 12_000 - n);
        }
    }

    @Test
    void unreadableStateIsRefused() {
        for (Detector d : pipeline()) {
            org.assertj.core.api.Assertions.assertThatThrownBy(
                            () -> ((Checkpointable) d).restoreState("[1]"))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
