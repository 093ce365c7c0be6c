package io.mlguard.collector.detect;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EqualWidthHistogramTest {
    @Test
    void binsBetweenMinimumAndMaximum() {
        EqualWidthHistogram h = EqualWidthHistogram.of(new double[] {0, 1, 2, 3, 4, 99}, 5, 4);
        assertThat(h.upperEdges()).containsExactly(1, 2, 3, 4);
        // [0, 1], (1, 2], (2, 3], (3, 4]; the value past n is not read
        assertThat(h.counts()).containsExactly(2, 1, 1, 1);
    }

    @Test
    void equalValuesFillTheFirstBinAndNonFiniteOnesAreLeftOut() {
        double[] v = {5, Double.NaN, 5, Double.POSITIVE_INFINITY, 5};
        EqualWidthHistogram h = EqualWidthHistogram.of(v, v.length, 3);
        assertThat(h.counts()).containsExactly(3, 0, 0);
        assertThat(h.upperEdges()).containsExactly(5, 5, 5);
    }

    @Test
    void nothingFiniteGivesAnEmptyHistogram() {
        EqualWidthHistogram h = EqualWidthHistogram.of(new double[] {Double.NaN}, 1, 3);
        assertThat(h.counts()).isEmpty();
        assertThat(h.upperEdges()).isEmpty();
    }
}
