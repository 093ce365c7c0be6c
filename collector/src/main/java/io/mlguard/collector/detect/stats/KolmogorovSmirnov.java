package io.mlguard.collector.detect.stats;

import java.util.function.DoubleUnaryOperator;

/**
 * The Kolmogorov–Smirnov statistic of a sample against a reference distribution, and its asymptotic
 * p-value. The reference is a distribution estimated from a finite reference window, so {@link
 * #pValue(double, double)} takes an effective size {@code n*m/(n+m)} (two-sample form).
 */
public final class KolmogorovSmirnov {
    private KolmogorovSmirnov() {}

    /**
     * {@code sup |F_n(x) - F(x)|} over a sorted sample of a continuous reference, checking both
     * sides of each step of the empirical CDF.
     */
    public static double statistic(double[] sorted, int n, DoubleUnaryOperator referenceCdf) {
        return statistic(sorted, n, referenceCdf, referenceCdf);
    }

    /**
     * As {@link #statistic(double[], int, DoubleUnaryOperator)} for a reference that may have mass
     * points: {@code cdfBelow} is P(X &lt; x), compared with the empirical CDF just before x.
     */
    public static double statistic(
            double[] sorted,
            int n,
            DoubleUnaryOperator referenceCdf,
            DoubleUnaryOperator cdfBelow) {
        if (n < 1) {
            throw new IllegalArgumentException("an empty sample");
        }
        double d = 0;
        int i = 0;
        while (i < n) {
            double x = sorted[i];
            int j = i;
            while (j < n && sorted[j] == x) {
                j++; // ties: the empirical CDF jumps once, by their number
            }
            double at = referenceCdf.applyAsDouble(x);
            double below = cdfBelow.applyAsDouble(x);
            d =
                    Math.max(
                            d,
                            Math.max(
                                    Math.abs((double) j / n - at),
                                    Math.abs(below - (double) i / n)));
            i = j;
        }
        return d;
    }

    /** The two-sample statistic {@code sup |F_a - F_b|} of two sorted samples. */
    public static double twoSample(double[] a, double[] b) {
        int i = 0;
        int j = 0;
        double d = 0;
        while (i < a.length && j < b.length) {
            double x = Math.min(a[i], b[j]);
            while (i < a.length && a[i] == x) {
                i++;
            }
            while (j < b.length && b[j] == x) {
                j++;
            }
            d = Math.max(d, Math.abs((double) i / a.length - (double) j / b.length));
        }
        return d;
    }

    /**
     * P(D > d) under the null hypothesis for effective sample size {@code ne}, by the Kolmogorov
     * distribution with Stephens' small-sample correction {@code (sqrt(ne) + 0.12 + 0.11 /
     * sqrt(ne)) * d} (Numerical Recipes 14.3.3).
     */
    public static double pValue(double d, double ne) {
        double s = Math.sqrt(ne);
        return kolmogorovTail((s + 0.12 + 0.11 / s) * d);
    }

    /** {@code Q(λ) = 2 Σ_{k>=1} (-1)^{k-1} exp(-2 k² λ²)}, the Kolmogorov distribution's tail. */
    public static double kolmogorovTail(double lambda) {
        if (lambda < 0.2) {
            return 1.0; // the series converges slowly here and the tail is 1 to 1e-9
        }
        double sum = 0;
        double sign = 1;
        for (int k = 1; k <= 100; k++) {
            double term = sign * Math.exp(-2.0 * k * k * lambda * lambda);
            sum += term;
            if (Math.abs(term) < 1e-12 * Math.abs(sum)) {
                break;
            }
            sign = -sign;
        }
        return Math.min(1.0, Math.max(0.0, 2 * sum));
    }
}
