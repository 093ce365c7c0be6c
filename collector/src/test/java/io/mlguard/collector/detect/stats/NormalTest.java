package io.mlguard.collector.detect.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** Reference values from scipy 1.17.1 ({@code norm.cdf}, {@code norm.sf}, {@code norm.ppf}). */
class NormalTest {
    @Test
    void cdfMatchesScipy() {
        assertThat(Normal.cdf(-5)).isCloseTo(2.866515718791933e-07, within(1e-15));
        assertThat(Normal.cdf(-1.96)).isCloseTo(0.024997895148220435, within(1e-12));
        assertThat(Normal.cdf(0)).isCloseTo(0.5, within(1e-15));
        assertThat(Normal.cdf(0.5)).isCloseTo(0.6914624612740131, within(1e-12));
        assertThat(Normal.upperTail(3)).isCloseTo(0.0013498980316300933, within(1e-14));
        assertThat(Normal.upperTail(8) / 6.22096057427174e-16).isCloseTo(1.0, within(1e-6));
    }

    @Test
    void quantileMatchesScipyAndInvertsTheCdf() {
        Offset<Double> tight = within(1e-9);
        assertThat(Normal.quantile(1e-10)).isCloseTo(-6.361340902404056, tight);
        assertThat(Normal.quantile(0.001)).isCloseTo(-3.090232306167813, tight);
        assertThat(Normal.quantile(0.025)).isCloseTo(-1.9599639845400545, tight);
        assertThat(Normal.quantile(0.3)).isCloseTo(-0.5244005127080409, tight);
        assertThat(Normal.quantile(0.975)).isCloseTo(1.959963984540054, tight);
        for (double p = 0.0005; p < 1; p += 0.0137) {
            assertThat(Normal.cdf(Normal.quantile(p))).isCloseTo(p, within(1e-12));
        }
        assertThat(Normal.quantile(0)).isInfinite();
        assertThat(Normal.quantile(1)).isInfinite().isPositive();
    }

    @Test
    void quantileHoldsInTheFarTailsAndIsSymmetric() {
        // p below exp(-25) takes the third rational function; the CDF is accurate there
        for (int k = 3; k <= 300; k += 7) {
            double p = Math.pow(10, -k);
            assertThat(Normal.cdf(Normal.quantile(p)) / p).isCloseTo(1.0, within(1e-11));
        }
        for (double p = 0.0001; p < 0.5; p += 0.0173) {
            assertThat(Normal.quantile(1 - p)).isCloseTo(-Normal.quantile(p), within(1e-12));
        }
        assertThat(Normal.quantile(0.5)).isEqualTo(0.0);
    }
}
