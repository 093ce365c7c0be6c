package io.mlguard.collector.detect.stats;

import java.util.Arrays;

/**
 * The Shapiro–Wilk test of normality with Royston's approximations (Royston 1992, "Approximating
 * the Shapiro-Wilk W-test for non-normality", and Algorithm AS R94, 1995): coefficients from normal
 * order-statistic scores with polynomial corrections for the two extreme ones, and a p-value from a
 * normalising transformation of {@code ln(1 - W)}. Valid for 3 to 5,000 observations.
 */
public final class ShapiroWilk {
    /** The W statistic and its p-value (small p: not normal). */
    public record Result(double w, double pValue, int n) {}

    /**
     * The coefficients of the last n tested: detectors test windows of one size again and again.
     */
    private record Coefficients(int n, double[] a) {}

    private static volatile Coefficients last = new Coefficients(0, new double[0]);

    private ShapiroWilk() {}

    /** Tests {@code values[0..n)}; the array is not modified. */
    public static Result test(double[] values, int n) {
        if (n < 3 || n > 5000) {
            throw new IllegalArgumentException("Shapiro-Wilk needs 3 to 5000 values, got " + n);
        }
        double[] x = Arrays.copyOf(values, n);
        Arrays.sort(x);
        double range = x[n - 1] - x[0];
        if (!(range > 0)) {
            return new Result(1.0, 1.0, n); // a constant sample: nothing to test
        }
        Coefficients c = last;
        if (c.n() != n) {
            c = new Coefficients(n, coefficients(n));
            last = c; // immutable once published: any thread may read it
        }
        double[] a = c.a();
        double mean = 0;
        for (double v : x) {
            mean += v;
        }
        mean /= n;
        double ss = 0;
        double num = 0;
        for (int i = 0; i < n; i++) {
            ss += (x[i] - mean) * (x[i] - mean);
            num += a[i] * x[i];
        }
        double w = Math.min(1.0, num * num / ss);
        return new Result(w, pValue(w, n), n);
    }

    /** The coefficients a_1..a_n (antisymmetric, sum of squares 1). */
    static double[] coefficients(int n) {
        double[] a = new double[n];
        if (n == 3) {
            a[0] = -Math.sqrt(0.5);
            a[2] = Math.sqrt(0.5);
            return a;
        }
        double[] m = new double[n];
        double mm = 0;
        for (int i = 0; i < n; i++) {
            m[i] = Normal.quantile((i + 1 - 0.375) / (n + 0.25));
            mm += m[i] * m[i];
        }
        double u = 1 / Math.sqrt(n);
        double cn = m[n - 1] / Math.sqrt(mm);
        double an = cn + poly(u, 0.221157, -0.147981, -2.071190, 4.434685, -2.706056);
        if (n <= 5) {
            double phi = (mm - 2 * m[n - 1] * m[n - 1]) / (1 - 2 * an * an);
            for (int i = 1; i < n - 1; i++) {
                a[i] = m[i] / Math.sqrt(phi);
            }
            a[n - 1] = an;
            a[0] = -an;
            return a;
        }
        double cn1 = m[n - 2] / Math.sqrt(mm);
        double an1 = cn1 + poly(u, 0.042981, -0.293762, -1.752461, 5.682633, -3.582633);
        double phi =
                (mm - 2 * m[n - 1] * m[n - 1] - 2 * m[n - 2] * m[n - 2])
                        / (1 - 2 * an * an - 2 * an1 * an1);
        for (int i = 2; i < n - 2; i++) {
            a[i] = m[i] / Math.sqrt(phi);
        }
        a[n - 1] = an;
        a[0] = -an;
        a[n - 2] = an1;
        a[1] = -an1;
        return a;
    }

    private static double poly(double u, double c1, double c2, double c3, double c4, double c5) {
        return u * (c1 + u * (c2 + u * (c3 + u * (c4 + u * c5))));
    }

    static double pValue(double w, int n) {
        if (n == 3) {
            // exact for n = 3 (Shapiro & Wilk 1965)
            double p = 6 / Math.PI * (Math.asin(Math.sqrt(w)) - Math.asin(Math.sqrt(0.75)));
            return Math.max(0, Math.min(1, p));
        }
        double y = Math.log(1 - w);
        double mu;
        double sigma;
        if (n <= 11) {
            double gamma = -2.273 + 0.459 * n;
            mu = 0.5440 - 0.39978 * n + 0.025054 * n * n - 0.0006714 * n * n * n;
            sigma = Math.exp(1.3822 - 0.77857 * n + 0.062767 * n * n - 0.0020322 * n * n * n);
            if (y >= gamma) {
                return 1e-99; // beyond the transformation's support: extremely non-normal
            }
            y = -Math.log(gamma - y);
        } else {
            double ln = Math.log(n);
            mu = -1.5861 - 0.31082 * ln - 0.083751 * ln * ln + 0.0038915 * ln * ln * ln;
            sigma = Math.exp(-0.4803 - 0.082676 * ln + 0.0030302 * ln * ln);
        }
        return Normal.upperTail((y - mu) / sigma);
    }
}
