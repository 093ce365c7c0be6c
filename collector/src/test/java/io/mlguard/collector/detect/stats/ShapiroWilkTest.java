package io.mlguard.collector.detect.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Published values: R's {@code shapiro.test} (Royston's AS R94, which scipy.stats.shapiro also
 * implements; scipy 1.17.1 gives the same numbers).
 */
class ShapiroWilkTest {
    @Test
    void weightsOfElevenMenFromShapiroAndWilk1965() {
        double[] x = {148, 154, 158, 160, 161, 162, 166, 170, 182, 195, 236};
        ShapiroWilk.Result r = ShapiroWilk.test(x, x.length);
        assertThat(r.w()).isCloseTo(0.78881, within(1e-5)); // the paper: W = 0.79
        assertThat(r.pValue()).isCloseTo(0.006704, within(2e-6));
    }

    @Test
    void rDatasetWomen() {
        double[] height = new double[15];
        for (int i = 0; i < 15; i++) {
            height[i] = 58 + i;
        }
        ShapiroWilk.Result h = ShapiroWilk.test(height, 15);
        assertThat(h.w()).isCloseTo(0.96359, within(1e-5));
        assertThat(h.pValue()).isCloseTo(0.7545, within(1e-4));
        double[] weight = {
            115, 117, 120, 123, 126, 129, 132, 135, 139, 142, 146, 150, 154, 159, 164
        };
        ShapiroWilk.Result w = ShapiroWilk.test(weight, 15);
        assertThat(w.w()).isCloseTo(0.96036, within(1e-5));
        assertThat(w.pValue()).isCloseTo(0.6986, within(1e-4));
    }

    @Test
    void smallSamplesMatchScipy() {
        double[] seven = {2.1, 3.4, 1.9, 5.6, 4.4, 3.3, 2.8};
        ShapiroWilk.Result r = ShapiroWilk.test(seven, 7);
        assertThat(r.w()).isCloseTo(0.9401366781979513, within(1e-6));
        assertThat(r.pValue()).isCloseTo(0.6399513746153818, within(1e-4));
        ShapiroWilk.Result three = ShapiroWilk.test(new double[] {1, 2, 4}, 3);
        assertThat(three.w()).isCloseTo(0.9642857142857142, within(1e-9));
        assertThat(three.pValue()).isCloseTo(0.6368868450289689, within(1e-6));
    }

    @Test
    void normalDataPassesAndSkewedDataFails() {
        SplittableRandom random = new SplittableRandom(3);
        double[] normal = new double[200];
        double[] skewed = new double[200];
        for (int i = 0; i < 200; i++) {
            double u1 = random.nextDouble();
            double u2 = random.nextDouble();
            normal[i] = Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
            skewed[i] = -Math.log(1 - random.nextDouble());
        }
        assertThat(ShapiroWilk.test(normal, 200).w()).isGreaterThan(0.98);
        assertThat(ShapiroWilk.test(normal, 200).pValue()).isGreaterThan(0.01);
        assertThat(ShapiroWilk.test(skewed, 200).pValue()).isLessThan(1e-6);
    }
}
