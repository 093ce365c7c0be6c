package io.mlguard.collector.profile;

import java.util.Arrays;

/**
 * A bounded summary of one statistic's reference distribution: its quantiles at {@link #POINTS}
 * evenly spaced probabilities (0, 0.5%, ..., 100%), read as a piecewise-linear CDF. Repeated
 * quantiles mark a mass point (a value many records share, such as a saturated confidence of 1.0),
 * which the CDF treats as a jump, so discrete statistics are not mistaken for drift.
 */
public final class QuantileSketch {
    /** Number of quantiles kept; memory is fixed whatever the reference size. */
    public static final int POINTS = 201;

    private final double[] quantiles;
    private final long count;

    /**
     * @param quantiles {@link #POINTS} non-decreasing finite values; {@code count} values seen
     */
    public QuantileSketch(double[] quantiles, long count) {
        if (quantiles.length != POINTS) {
            throw new IllegalArgumentException(
                    "a sketch has " + POINTS + " quantiles, got " + quantiles.length);
        }
        for (int i = 0; i < POINTS; i++) {
            if (!Double.isFinite(quantiles[i]) || (i > 0 && quantiles[i] < quantiles[i - 1])) {
                throw new IllegalArgumentException(
                        "quantiles must be finite and non-decreasing (index " + i + ")");
            }
        }
        if (count < 1) {
            throw new IllegalArgumentException("a sketch of no values");
        }
        this.quantiles = quantiles.clone();
        this.count = count;
    }

    /** The sketch of {@code values[0..n)} (sorted in place), by linear interpolation (type 7). */
    public static QuantileSketch of(double[] values, int n, long count) {
        if (n < 1) {
            throw new IllegalArgumentException("a sketch of no values");
        }
        Arrays.sort(values, 0, n);
        double[] q = new double[POINTS];
        for (int j = 0; j < POINTS; j++) {
            double h = (n - 1) * (double) j / (POINTS - 1);
            int lo = (int) Math.floor(h);
            int hi = Math.min(n - 1, lo + 1);
            q[j] = values[lo] + (h - lo) * (values[hi] - values[lo]);
        }
        return new QuantileSketch(q, count);
    }

    private static double p(int j) {
        return (double) j / (POINTS - 1);
    }

    /** P(X <= x) under the reference. */
    public double cdf(double x) {
        if (x < quantiles[0]) {
            return 0;
        }
        if (x >= quantiles[POINTS - 1]) {
            return 1;
        }
        int last = lastAtMost(x);
        if (quantiles[last] == x) {
            return p(last);
        }
        double q0 = quantiles[last];
        double q1 = quantiles[last + 1];
        return p(last) + (x - q0) / (q1 - q0) * p(1);
    }

    /** P(X < x) under the reference: differs from {@link #cdf} at a mass point. */
    public double cdfBelow(double x) {
        if (x <= quantiles[0]) {
            return 0;
        }
        if (x > quantiles[POINTS - 1]) {
            return 1;
        }
        int first = firstAtLeast(x);
        if (quantiles[first] == x) {
            return p(first);
        }
        return cdf(x);
    }

    /** The mid-point of the CDF's jump at x (its value where it has none), in [0, 1]. */
    public double midCdf(double x) {
        // Called for every value of every watched statistic: one binary search where the two
        // CDFs agree (x is no quantile point), with exactly the values cdf and cdfBelow give.
        if (x < quantiles[0]) {
            return 0;
        }
        if (x > quantiles[POINTS - 1]) {
            return 1;
        }
        int first = firstAtLeast(x);
        if (quantiles[first] == x) {
            // a mass point (discrete features land on one every time): its last index by the
            // same branch-free search, one ulp above x, instead of cdf's branchy one
            double atMost = x == quantiles[POINTS - 1] ? 1 : p(firstAtLeast(Math.nextUp(x)) - 1);
            return (p(first) + atMost) / 2;
        }
        double q0 = quantiles[first - 1];
        double q1 = quantiles[first];
        double below = p(first - 1) + (x - q0) / (q1 - q0) * p(1);
        return (below + below) / 2;
    }

    private int lastAtMost(double x) {
        int lo = 0;
        int hi = POINTS - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (quantiles[mid] <= x) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    /**
     * The first index whose quantile is at least x ({@code POINTS - 1} when none is). A search of
     * fixed length whose steps are selects, not branches: x falls anywhere, so a branchy binary
     * search mispredicts about every other step, for every value of every watched statistic.
     */
    int firstAtLeast(double x) {
        int base = 0;
        for (int n = POINTS; n > 1; ) {
            int half = n >>> 1;
            base = quantiles[base + half - 1] < x ? base + half : base;
            n -= half;
        }
        return Math.min(POINTS - 1, quantiles[base] < x ? base + 1 : base);
    }

    /** The quantile at probability {@code p}. */
    public double quantile(double p) {
        double h = p * (POINTS - 1);
        int lo = (int) Math.max(0, Math.min(POINTS - 1, Math.floor(h)));
        int hi = Math.min(POINTS - 1, lo + 1);
        return quantiles[lo] + (h - lo) * (quantiles[hi] - quantiles[lo]);
    }

    /** The distinct interior deciles: the edges of at most 10 bins for PSI and JS. */
    public double[] decileEdges() {
        double[] e = new double[9];
        int n = 0;
        for (int d = 1; d <= 9; d++) {
            double v = quantile(d / 10.0);
            if (n == 0 || v > e[n - 1]) {
                e[n++] = v;
            }
        }
        return Arrays.copyOf(e, n);
    }

    /** The reference's share of each bin {@code (-inf, e0], (e0, e1], ..., (e_last, inf)}. */
    public double[] binShares(double[] edges) {
        double[] s = new double[edges.length + 1];
        double prev = 0;
        for (int i = 0; i < edges.length; i++) {
            double c = cdf(edges[i]);
            s[i] = c - prev;
            prev = c;
        }
        s[edges.length] = 1 - prev;
        return s;
    }

    public double[] quantiles() {
        return quantiles.clone();
    }

    /** How many values the reference had (the sketch itself may come from a sample of them). */
    public long count() {
        return count;
    }
}
