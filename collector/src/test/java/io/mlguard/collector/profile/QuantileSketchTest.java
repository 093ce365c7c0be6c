package io.mlguard.collector.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class QuantileSketchTest {
    @Test
    void firstAtLeastIsTheFirstIndexALinearScanFinds() {
        java.util.Random random = new java.util.Random(5);
        int checked = 0;
        for (int sketch = 0; sketch < 60; sketch++) {
            double[] v = new double[300];
            for (int i = 0; i < v.length; i++) {
                // mass points (repeated quantiles), a long tail with outliers (most points in the
                // first bucket), a constant, and plain normals
                v[i] =
                        switch (sketch % 5) {
                            case 0 -> random.nextInt(5);
                            case 1 -> Math.exp(4 * random.nextGaussian());
                            case 2 -> i == 7 ? 1e12 : random.nextGaussian();
                            case 3 -> 0.25;
                            default -> random.nextGaussian();
                        };
            }
            QuantileSketch s = QuantileSketch.of(v, v.length, v.length);
            double[] q = s.quantiles();
            for (int k = 0; k < 400; k++) {
                double at = q[random.nextInt(q.length)];
                double x =
                        switch (k % 4) {
                            case 0 -> at; // exactly a quantile
                            case 1 -> k % 8 == 1 ? Math.nextUp(at) : Math.nextDown(at);
                            case 2 -> k == 2 ? Double.NaN : k == 6 ? -1e300 : 1e300;
                            default ->
                                    q[0] - 1 + random.nextDouble() * (q[q.length - 1] - q[0] + 2);
                        };
                int expected = q.length - 1;
                for (int i = 0; i < q.length; i++) {
                    if (q[i] >= x || Double.isNaN(x) && i == 0) { // NaN: the search's 0
                        expected = i;
                        break;
                    }
                }
                assertThat(s.firstAtLeast(x)).as("x=%s", x).isEqualTo(expected);
                checked++;
            }
        }
        assertThat(checked).isEqualTo(24_000);
    }

    @Test
    void evenlySpacedValuesGiveALinearCdf() {
        double[] v = new double[1001];
        for (int i = 0; i <= 1000; i++) {
            v[i] = 1000 - i; // unsorted on purpose
        }
        QuantileSketch s = QuantileSketch.of(v, v.length, v.length);
        assertThat(s.cdf(500)).isCloseTo(0.5, within(1e-9));
        assertThat(s.cdf(123.4)).isCloseTo(0.1234, within(1e-9));
        assertThat(s.cdf(-1)).isZero();
        assertThat(s.cdf(1000)).isEqualTo(1.0);
        assertThat(s.quantile(0.25)).isCloseTo(250, within(1e-9));
        assertThat(s.decileEdges()).containsExactly(100, 200, 300, 400, 500, 600, 700, 800, 900);
        for (double share : s.binShares(s.decileEdges())) {
            assertThat(share).isCloseTo(0.1, within(1e-9));
        }
    }

    @Test
    void aMassPointIsAJumpOfTheCdf() {
        // 70% of the values are exactly 1.0 (a saturated confidence), the rest spread below
        double[] v = new double[1000];
        for (int i = 0; i < 300; i++) {
            v[i] = 0.5 + i / 600.0;
        }
        for (int i = 300; i < 1000; i++) {
            v[i] = 1.0;
        }
        QuantileSketch s = QuantileSketch.of(v, v.length, v.length);
        assertThat(s.cdfBelow(1.0)).isCloseTo(0.3, within(0.01));
        assertThat(s.cdf(1.0)).isEqualTo(1.0);
        assertThat(s.midCdf(1.0)).isCloseTo(0.65, within(0.01));
        assertThat(s.decileEdges()).hasSizeLessThan(9).contains(1.0);
    }

    @Test
    void midCdfIsExactlyTheMeanOfBothCdfsOnDiscreteAndContinuousValues() {
        // a discrete feature (values 1..4, mass points inside and at both ends), a continuous one,
        // and a mix: on every quantile point, between them and outside the range
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        for (int kind = 0; kind < 3; kind++) {
            double[] v = new double[997];
            for (int i = 0; i < v.length; i++) {
                double d = 1 + random.nextInt(4);
                double c = random.nextGaussian() * 3;
                v[i] = kind == 0 ? d : kind == 1 ? c : random.nextBoolean() ? d : c;
            }
            QuantileSketch s = QuantileSketch.of(v.clone(), v.length, v.length);
            java.util.List<Double> xs = new java.util.ArrayList<>();
            for (int j = 0; j < QuantileSketch.POINTS; j++) {
                double q = s.quantile((double) j / (QuantileSketch.POINTS - 1));
                xs.add(q);
                xs.add(Math.nextUp(q));
                xs.add(Math.nextDown(q));
            }
            for (int i = 0; i < 2_000; i++) {
                xs.add(random.nextDouble(-12, 12));
            }
            for (double x : xs) {
                assertThat(s.midCdf(x)).as("x = %s", x).isEqualTo((s.cdfBelow(x) + s.cdf(x)) / 2);
            }
        }
    }

    @Test
    void rejectsBadQuantiles() {
        double[] q = new double[QuantileSketch.POINTS];
        q[5] = -1;
        assertThatThrownBy(() -> new QuantileSketch(q, 10)).hasMessageContaining("non-decreasing");
        assertThatThrownBy(() -> new QuantileSketch(new double[3], 10))
                .hasMessageContaining("201 quantiles");
    }
}
