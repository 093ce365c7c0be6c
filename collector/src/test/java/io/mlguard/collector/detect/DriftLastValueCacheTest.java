package io.mlguard.collector.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlguard.collector.profile.ProfileTracker;
import io.mlguard.protocol.InferenceRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The drift detector with its monitors' last-value cache gives the very signals and saved state of
 * one that scores every value anew: stationary, then drifting traffic whose statistics repeat their
 * last value often (categorical features, a constant, a saturated confidence) and also move by a
 * few ulps (so a cache keyed on part of the value, or on its bin, would show), through a checkpoint
 * and a restore.
 */
class DriftLastValueCacheTest {
    private static final int PROFILE = 3_000;

    private final Random random = new Random(21);
    private final DriftDetectorTest.Traffic traffic = new DriftDetectorTest.Traffic(22);
    private final ProfileTracker profiles = new ProfileTracker(PROFILE, List.of());
    private DriftDetector cached = detector(true);
    private DriftDetector plain = detector(false);
    private final List<Signal> cachedSignals = new ArrayList<>();
    private final List<Signal> plainSignals = new ArrayList<>();
    private int categoryShift;
    private long index;

    private DriftDetector detector(boolean lastValueCache) {
        return new DriftDetector(profiles, 200, 100_000, Sensitivity.untuned(), lastValueCache);
    }

    private InferenceRecord next() {
        InferenceRecord r = traffic.next(index);
        r.featureCount = 7;
        // a five-valued category (shifting towards its last value when told), a constant, and a
        // value that repeats for a while and then moves by one ulp
        int c = random.nextInt(5);
        r.features[3] = Math.min(4, c + (random.nextInt(3) < categoryShift ? 2 : 0));
        r.features[4] = 2.5f;
        float base = 0.75f + (index / 50 % 4) * 0.125f;
        r.features[5] = random.nextBoolean() ? base : Math.nextUp(base);
        r.features[6] = random.nextInt(3) == 0 ? -1f : 1f;
        if (random.nextInt(4) == 0) {
            // an input mean one ulp off the last one's: equal in its upper half
            r.inputs[0].mean = Math.nextUp(r.inputs[0].mean);
        }
        return r;
    }

    private void feed(long n) {
        for (long k = 0; k < n; k++, index++) {
            InferenceRecord r = next();
            profiles.onInference(r, index, s -> {});
            cached.onInference(r, index, cachedSignals::add);
            plain.onInference(r, index, plainSignals::add);
        }
        assertThat(cached.saveState()).isEqualTo(plain.saveState());
    }

    private static String describe(List<Signal> signals) {
        return signals.stream()
                .map(
                        s ->
                                s.type()
                                        + " "
                                        + s.reason()
                                        + " "
                                        + s.severity()
                                        + " "
                                        + s.model()
                                        + " "
                                        + s.client()
                                        + " "
                                        + s.recordIndex()
                                        + " "
                                        + s.timestampMillis()
                                        + " "
                                        + s.evidence())
                .collect(Collectors.joining("\n"));
    }

    @Test
    void cachedAndPlainDetectorsGiveTheSameSignalsAndStateBitForBit() {
        feed(PROFILE + 5_000);
        traffic.meanShift = 1;
        feed(3_000);
        String checkpoint = cached.saveState();
        assertThat(checkpoint).isEqualTo(plain.saveState());
        // both resume from the checkpoint, the cache empty again
        cached = detector(true);
        plain = detector(false);
        cached.restoreState(checkpoint);
        plain.restoreState(checkpoint);
        traffic.meanShift = 0;
        traffic.stdScale = 4;
        categoryShift = 2;
        feed(3_000);
        traffic.stdScale = 1;
        traffic.favouredClass = 3;
        traffic.featureShift = 0.5;
        feed(3_000);

        assertThat(describe(cachedSignals)).isEqualTo(describe(plainSignals));
        assertThat(cachedSignals.stream().map(Signal::reason).distinct())
                .as("every kind of drift signal is compared")
                .contains("cusum_shift", "window_shift", "class_priors_shift");
        assertThat(cachedSignals.stream().map(s -> s.evidence().get("statistic")))
                .as("the discrete features signal too")
                .contains("feature.3", "input.mean");
        assertThat(cached.saveState()).isEqualTo(plain.saveState()).contains("\"feature.5\"");
    }
}
