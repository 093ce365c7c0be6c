package io.mlguard.collector.detect.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class DivergencesTest {
    @Test
    void psiMatchesAHandComputedExample() {
        // expected 25% in each of 4 bins, actual 10/20/30/40%:
        //   (0.10-0.25)ln(0.10/0.25) = 0.1374436
        //   (0.20-0.25)ln(0.20/0.25) = 0.0111572
        //   (0.30-0.25)ln(0.30/0.25) = 0.0091161
        //   (0.40-0.25)ln(0.40/0.25) = 0.0705006   sum = 0.2282175
        double psi = Divergences.psi(new double[] {25, 25, 25, 25}, new double[] {10, 20, 30, 40});
        assertThat(psi).isCloseTo(0.2282175, within(1e-6));
        assertThat(Divergences.psi(new double[] {1, 2, 3}, new double[] {2, 4, 6})).isZero();
    }

    @Test
    void psiOfAnEmptyBinIsLargeButFinite() {
        double psi = Divergences.psi(new double[] {50, 50}, new double[] {100, 0});
        assertThat(psi).isFinite().isGreaterThan(3);
    }

    @Test
    void jensenShannonMatchesClosedForms() {
        // disjoint distributions: exactly 1 bit
        assertThat(Divergences.jensenShannon(new double[] {1, 0}, new double[] {0, 1}))
                .isCloseTo(1.0, within(1e-12));
        // p = (1/2, 1/2), q = (1, 0): JS = H(3/4, 1/4) - (H(p) + H(q)) / 2
        //   = 0.8112781 - 0.5 = 0.3112781 bits
        double h = -(0.75 * Math.log(0.75) + 0.25 * Math.log(0.25)) / Math.log(2);
        assertThat(h - 0.5).isCloseTo(0.3112781, within(1e-7));
        assertThat(Divergences.jensenShannon(new double[] {1, 1}, new double[] {1, 0}))
                .isCloseTo(h - 0.5, within(1e-12));
        assertThat(Divergences.jensenShannon(new double[] {3, 1, 6}, new double[] {3, 1, 6}))
                .isZero();
        // symmetric
        double[] a = {0.2, 0.5, 0.3};
        double[] b = {0.6, 0.1, 0.3};
        assertThat(Divergences.jensenShannon(a, b))
                .isCloseTo(Divergences.jensenShannon(b, a), within(1e-15));
    }

    @Test
    void rejectsDistributionsWithoutMass() {
        assertThatThrownBy(() -> Divergences.psi(new double[] {0, 0}, new double[] {1, 1}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(
                        () -> Divergences.jensenShannon(new double[] {-1, 2}, new double[] {1, 1}))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
