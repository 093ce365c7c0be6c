package io.mlguard.collector.detect.stats;

/** Exact tail probabilities of the binomial and Poisson distributions, summed in log space. */
public final class Tails {
    private Tails() {}

    /** P(X >= x) for X ~ Binomial(n, p). */
    public static double binomialUpper(int x, int n, double p) {
        if (x <= 0) {
            return 1;
        }
        if (x > n) {
            return 0;
        }
        if (p <= 0) {
            return 0;
        }
        if (p >= 1) {
            return 1;
        }
        double sum = 0;
        for (int k = x; k <= n; k++) {
            sum += Math.exp(logChoose(n, k) + k * Math.log(p) + (n - k) * Math.log1p(-p));
        }
        return Math.min(1, sum);
    }

    /** P(X >= x) for X ~ Poisson(mean). */
    public static double poissonUpper(long x, double mean) {
        if (x <= 0) {
            return 1;
        }
        return Math.max(0, 1 - poissonLower(x - 1, mean));
    }

    /** P(X <= x) for X ~ Poisson(mean). */
    public static double poissonLower(long x, double mean) {
        if (x < 0) {
            return 0;
        }
        double sum = 0;
        double logTerm = -mean;
        for (long k = 0; k <= x; k++) {
            if (k > 0) {
                logTerm += Math.log(mean) - Math.log(k);
            }
            sum += Math.exp(logTerm);
        }
        return Math.min(1, sum);
    }

    private static double logChoose(int n, int k) {
        double s = 0;
        for (int i = 1; i <= k; i++) {
            s += Math.log(n - k + i) - Math.log(i);
        }
        return s;
    }
}
