package io.mlguard.collector.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlguard.protocol.DType;
import io.mlguard.protocol.TensorSummary;
import org.junit.jupiter.api.Test;

class InputProfileTest {
    private static TensorSummary input(double zeroFraction, double mean) {
        TensorSummary t = new TensorSummary().matrix("input", DType.FLOAT32, 1, 784);
        t.zeroFraction = (float) zeroFraction;
        t.mean = mean;
        return t;
    }

    /** Zero fractions 0.70 to 0.90 and non-zero means 0.50 to 0.80, evenly over the window. */
    private static InputProfile learnt() {
        InputProfile p = new InputProfile();
        for (int i = 0; i < InputProfile.WINDOW; i++) {
            double z = 0.70 + 0.20 * i / (InputProfile.WINDOW - 1);
            double m = 0.50 + 0.30 * (InputProfile.WINDOW - 1 - i) / (InputProfile.WINDOW - 1);
            assertThat(p.complete()).isFalse();
            p.learn(input(z, m * (1 - z)));
        }
        return p;
    }

    @Test
    void theNonZeroMeanIsTheMeanOverTheNonZeroElements() {
        assertThat(InputProfile.nonZeroMean(input(0.75, 0.2))).isCloseTo(0.8, within());
        assertThat(InputProfile.nonZeroMean(input(0.0, 0.3))).isCloseTo(0.3, within());
        assertThat(InputProfile.nonZeroMean(input(1.0, 0.0))).isZero();
    }

    @Test
    void aCompleteProfileHoldsItsRangeAndItsSlackAndNothingElse() {
        InputProfile p = learnt();
        assertThat(p.complete()).isTrue();
        assertThat(p.zeroFraction().min()).isCloseTo(0.70, within());
        assertThat(p.nonZeroMean().max()).isCloseTo(0.80, within());
        // slack: 5 % of the span on each side, 0.01 for zeros and 0.015 for the non-zero mean
        assertThat(p.outside(input(0.80, 0.65 * 0.20))).isFalse();
        assertThat(p.outside(input(0.695, 0.65 * 0.305))).isFalse();
        assertThat(p.outside(input(0.685, 0.65 * 0.315))).isTrue();
        assertThat(p.outside(input(0.80, 0.49 * 0.20))).isFalse();
        assertThat(p.outside(input(0.80, 0.48 * 0.20))).isTrue();
        // Square's striped queries: zero fraction ~0.41, non-zero mean ~0.29
        assertThat(p.outside(input(0.41, 0.29 * 0.59))).isTrue();
    }

    @Test
    void anIncompleteProfileHoldsEverything() {
        InputProfile p = new InputProfile();
        p.learn(input(0.8, 0.1));
        assertThat(p.outside(input(0.0, 0.9))).isFalse();
    }

    @Test
    void aSavedProfileIsRestoredAndAMissingOneStartsAgain() {
        InputProfile p = learnt();
        InputProfile back = InputProfile.restore(p.saveState());
        assertThat(back.complete()).isTrue();
        assertThat(back.zeroFraction().max()).isEqualTo(p.zeroFraction().max());
        assertThat(back.nonZeroMean().min()).isEqualTo(p.nonZeroMean().min());
        assertThat(back.outside(input(0.685, 0.65 * 0.315))).isTrue();
        assertThat(back.outside(input(0.80, 0.65 * 0.20))).isFalse();
        assertThat(InputProfile.restore(null).complete()).isFalse();
    }

    private static org.assertj.core.data.Offset<Double> within() {
        return org.assertj.core.data.Offset.offset(1e-6);
    }
}
