package io.mlguard.collector.incident;

import static io.mlguard.collector.incident.Verdict.FALSE_POSITIVE;
import static io.mlguard.collector.incident.Verdict.TRUE_POSITIVE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mlguard.collector.detect.Sensitivity;
import io.mlguard.collector.detect.SignalType;
import org.junit.jupiter.api.Test;

class ThresholdTunerTest {
    private static DetectorTuning falsePositives(SignalType type, int n) {
        DetectorTuning s = ThresholdTuner.initial(type);
        for (int i = 0; i < n; i++) {
            s = ThresholdTuner.apply(s, null, FALSE_POSITIVE);
        }
        return s;
    }

    @Test
    void falsePositivesRaiseTheThresholdStepByStepUpToTheCap() {
        DetectorTuning s = ThresholdTuner.initial(SignalType.QUERY_ATTACK);
        assertThat(s.multiplier()).isEqualTo(1.0);
        double[] expected = {1.25, 1.5, 1.75, 2.0, 2.0, 2.0};
        for (double e : expected) {
            s = ThresholdTuner.apply(s, null, FALSE_POSITIVE);
            assertThat(s.multiplier()).isEqualTo(e);
        }
        assertThat(s.level()).isEqualTo(ThresholdTuner.LEVELS);
        assertThat(s.falsePositives()).isEqualTo(expected.length);
        assertThat(falsePositives(SignalType.QUERY_ATTACK, 1000).multiplier()).isEqualTo(2.0);
    }

    @Test
    void aTruePositivePullsBackTwoStepsAndNeverBelowTheBase() {
        DetectorTuning s = falsePositives(SignalType.DATA_DRIFT, 4);
        s = ThresholdTuner.apply(s, null, TRUE_POSITIVE);
        assertThat(s.multiplier()).isEqualTo(1.5);
        s = ThresholdTuner.apply(s, null, TRUE_POSITIVE);
        assertThat(s.multiplier()).isEqualTo(1.0);
        for (int i = 0; i < 10; i++) {
            s = ThresholdTuner.apply(s, null, TRUE_POSITIVE);
        }
        assertThat(s.multiplier()).isEqualTo(1.0);
        assertThat(s.level()).isZero();
        assertThat(s.truePositives()).isEqualTo(12);
        assertThat(s.falsePositives()).isEqualTo(4);
    }

    @Test
    void oneIncidentIsOneVote() {
        DetectorTuning once =
                ThresholdTuner.apply(
                        falsePositives(SignalType.OPERATIONAL, 0), null, FALSE_POSITIVE);
        // the same operator repeating the verdict on the same incident changes nothing
        assertThat(ThresholdTuner.apply(once, FALSE_POSITIVE, FALSE_POSITIVE)).isEqualTo(once);
        // changing the verdict moves the other way and moves the count
        DetectorTuning changed = ThresholdTuner.apply(once, FALSE_POSITIVE, TRUE_POSITIVE);
        assertThat(changed.multiplier()).isEqualTo(1.0);
        assertThat(changed.falsePositives()).isZero();
        assertThat(changed.truePositives()).isEqualTo(1);
    }

    @Test
    void modelSubstitutionIsNeverTunedAndExtractionKeepsItsFloor() {
        assertThat(falsePositives(SignalType.MODEL_SUBSTITUTION, 50).multiplier()).isEqualTo(1.0);
        assertThat(falsePositives(SignalType.EXTRACTION, 50).multiplier()).isEqualTo(1.5);
        for (SignalType t : SignalType.values()) {
            double cap = ThresholdTuner.cap(t);
            assertThat(cap).as(t.wireName()).isBetween(1.0, 2.0);
            assertThat(ThresholdTuner.multiplier(t, -5)).isEqualTo(1.0);
            assertThat(ThresholdTuner.multiplier(t, 99)).isEqualTo(cap);
        }
        // a stored state out of bounds (edited by hand, or an older policy) is clamped
        assertThat(ThresholdTuner.of(SignalType.QUERY_ATTACK, 40, -3, 2).multiplier())
                .isEqualTo(2.0);
        assertThat(ThresholdTuner.of(SignalType.QUERY_ATTACK, 40, -3, 2).falsePositives()).isZero();
    }

    @Test
    void verdictsOnFactsTuneNothing() {
        assertThat(
                        ThresholdTuner.tunes(
                                SignalType.MODEL_SUBSTITUTION, java.util.Set.of("hash_changed")))
                .isFalse();
        assertThat(ThresholdTuner.tunes(SignalType.INVALID_INPUT, java.util.Set.of("nan_or_inf")))
                .isFalse();
        assertThat(
                        ThresholdTuner.tunes(
                                SignalType.INVALID_INPUT,
                                java.util.Set.of("nan_or_inf", "out_of_range")))
                .isTrue();
        assertThat(
                        ThresholdTuner.tunes(
                                SignalType.QUERY_ATTACK,
                                java.util.Set.of("near_duplicate_queries")))
                .isTrue();
    }

    @Test
    void sensitivityRefusesToMakeADetectorMoreEager() {
        Sensitivity s = new Sensitivity();
        assertThat(s.multiplier(SignalType.QUERY_ATTACK)).isEqualTo(1.0);
        s.set(SignalType.QUERY_ATTACK, 1.75);
        assertThat(s.multiplier(SignalType.QUERY_ATTACK)).isEqualTo(1.75);
        assertThat(s.multiplier(SignalType.EXTRACTION)).isEqualTo(1.0);
        for (double bad : new double[] {0.5, 0.999, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThatThrownBy(() -> s.set(SignalType.DATA_DRIFT, bad))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(s.multiplier(SignalType.DATA_DRIFT)).isEqualTo(1.0);
    }
}
