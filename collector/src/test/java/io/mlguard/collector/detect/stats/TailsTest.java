package io.mlguard.collector.detect.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Reference values from scipy 1.17.1: {@code binom.sf(x - 1, n, p)}, {@code poisson.sf/cdf}. */
class TailsTest {
    @Test
    void binomialUpperTail() {
        assertThat(Tails.binomialUpper(5, 50, 0.01) / 0.00014568926807182703)
                .isCloseTo(1, within(1e-9));
        assertThat(Tails.binomialUpper(10, 50, 0.05) / 0.00015856329762383461)
                .isCloseTo(1, within(1e-9));
        assertThat(Tails.binomialUpper(0, 50, 0.05)).isEqualTo(1.0);
        assertThat(Tails.binomialUpper(51, 50, 0.05)).isZero();
    }

    @Test
    void poissonTails() {
        assertThat(Tails.poissonUpper(15, 5.5) / 0.0005985694911350238).isCloseTo(1, within(1e-7));
        assertThat(Tails.poissonLower(3, 12.0) / 0.002291791207791423).isCloseTo(1, within(1e-9));
        assertThat(Tails.poissonLower(-1, 3)).isZero();
    }
}
