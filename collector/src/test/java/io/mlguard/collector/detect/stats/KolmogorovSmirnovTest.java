package io.mlguard.collector.detect.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KolmogorovSmirnovTest {
    @Test
    void kolmogorovTailMatchesScipyAndTheTextbookCriticalValues() {
        // scipy.stats.kstwobign.sf; 1.22, 1.36 and 1.63 are the classic 10%, 5% and 1% points
        assertThat(KolmogorovSmirnov.kolmogorovTail(0.5))
                .isCloseTo(0.9639452436648751, within(1e-9));
        assertThat(KolmogorovSmirnov.kolmogorovTail(1.0))
                .isCloseTo(0.26999967167735456, within(1e-9));
        assertThat(KolmogorovSmirnov.kolmogorovTail(1.22))
                .isCloseTo(0.10189777916606356, within(1e-9));
        assertThat(KolmogorovSmirnov.kolmogorovTail(1.36))
                .isCloseTo(0.049485876755377876, within(1e-9));
        assertThat(KolmogorovSmirnov.kolmogorovTail(1.63))
                .isCloseTo(0.009846364888486529, within(1e-9));
        assertThat(KolmogorovSmirnov.kolmogorovTail(2.0))
                .isCloseTo(0.0006709252557796953, within(1e-12));
    }

    @Test
    void oneSampleStatisticMatchesScipy() {
        // scipy.stats.kstest(x, 'uniform').statistic == 0.17
        double[] x = {0.05, 0.12, 0.31, 0.33, 0.48, 0.52, 0.77, 0.81, 0.9, 0.99};
        double d = KolmogorovSmirnov.statistic(x, x.length, v -> Math.max(0, Math.min(1, v)));
        assertThat(d).isCloseTo(0.17, within(1e-12));
    }

    @Test
    void twoSampleStatisticAndExactPValueByEnumeratingEveryRelabelling() {
        double[] a = {1.1, 2.3, 2.9, 3.0, 4.7, 5.5, 6.1};
        double[] b = {0.2, 0.9, 1.5, 2.2, 2.8, 3.1, 3.3, 3.9};
        double observed = KolmogorovSmirnov.twoSample(a, b);
        assertThat(observed).isCloseTo(3.0 / 7, within(1e-12)); // scipy ks_2samp: 0.428571
        // Under the null every split of the 15 pooled values into 7 + 8 is equally likely: the
        // exact p-value is the share of the C(15,7) = 6435 splits with D >= observed.
        double[] pooled = new double[15];
        System.arraycopy(a, 0, pooled, 0, 7);
        System.arraycopy(b, 0, pooled, 7, 8);
        Arrays.sort(pooled);
        int splits = 0;
        int asExtreme = 0;
        for (int mask = 0; mask < 1 << 15; mask++) {
            if (Integer.bitCount(mask) != 7) {
                continue;
            }
            double[] x = new double[7];
            double[] y = new double[8];
            int i = 0;
            int j = 0;
            for (int k = 0; k < 15; k++) {
                if ((mask >> k & 1) == 1) {
                    x[i++] = pooled[k];
                } else {
                    y[j++] = pooled[k];
                }
            }
            splits++;
            if (KolmogorovSmirnov.twoSample(x, y) >= observed - 1e-12) {
                asExtreme++;
            }
        }
        assertThat(splits).isEqualTo(6435);
        // scipy.stats.ks_2samp(a, b, method='exact').pvalue == 0.42175602175602184
        assertThat((double) asExtreme / splits).isCloseTo(0.42175602175602184, within(1e-12));
        // the asymptotic p-value is in the right region even for such small samples
        assertThat(KolmogorovSmirnov.pValue(observed, 7.0 * 8 / 15)).isBetween(0.3, 0.6);
    }

    @Test
    void asymptoticPValueIsCalibratedUnderTheNullByMonteCarlo() {
        SplittableRandom random = new SplittableRandom(7);
        int trials = 4000;
        int rejected = 0;
        double[] a = new double[200];
        double[] b = new double[300];
        for (int t = 0; t < trials; t++) {
            for (int i = 0; i < a.length; i++) {
                a[i] = random.nextDouble();
            }
            for (int i = 0; i < b.length; i++) {
                b[i] = random.nextDouble();
            }
            Arrays.sort(a);
            Arrays.sort(b);
            double d = KolmogorovSmirnov.twoSample(a, b);
            if (KolmogorovSmirnov.pValue(d, 200.0 * 300 / 500) < 0.05) {
                rejected++;
            }
        }
        // 5% expected; binomial sd over 4000 trials is 0.34%, and KS is slightly conservative
        assertThat((double) rejected / trials).isBetween(0.035, 0.06);
    }
}
