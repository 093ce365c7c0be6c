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

    /**
     * Equal-width parts of {@code [q[0], q[POINTS-1]]} in {@link #guide}: a search looks only among
     * the quantiles of x's part, about one on average.
     */
    static final int GUIDE_PARTS = 512;

    private final double[] quantiles;
    private final long count;

    // guide[b] (unsigned) is the number of quantiles whose part is below b, for b in [0, PARTS];
    // the
    // part of x is (int) ((x - q[0]) * guideScale), clamped to [0, PARTS); guideScale is 0 when the
    // range is empty or too wide for a finite scale, and the plain search runs instead
    private final byte[] guide;
    private final double guideScale;
    // runEnd[j] (unsigned): the last index whose quantile equals quantiles[j], the end of a mass
    // point's run of equal quantiles
    private final byte[] runEnd = new byte[POINTS];

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
        double scale = GUIDE_PARTS / (quantiles[POINTS - 1] - quantiles[0]);
        this.guideScale = scale > 0 && scale < Double.POSITIVE_INFINITY ? scale : 0;
        this.guide = new byte[GUIDE_PARTS + 1];
        int j = 0;
        for (int b = 0; b <= GUIDE_PARTS; b++) {
            while (j < POINTS && guideScale > 0 && part(this.quantiles[j]) < b) {
                j++;
            }
            guide[b] = (byte) j;
        }
        for (int i = POINTS - 1; i >= 0; i--) {
            boolean run = i < POINTS - 1 && this.quantiles[i + 1] == this.quantiles[i];
            runEnd[i] = run ? runEnd[i + 1] : (byte) i;
        }
    }

    /**
     * x's part of the guide. Non-decreasing in x (a subtraction, a product by a positive constant
     * and a truncation all are, and so is the clamp), which is all the guide's exactness rests on:
     * a quantile in a lower part is below x, one in a higher part above it.
     */
    private int part(double x) {
        double t = (x - quantiles[0]) * guideScale;
        return t >= GUIDE_PARTS ? GUIDE_PARTS - 1 : t > 0 ? (int) t : 0; // NaN: 0
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
            // a mass point (discrete features land on one every time): its last index, the end
            // of the run of quantiles equal to x, from a table rather than a second search (the
            // first index above x, which a search one ulp above x finds, less one)
            double atMost = x == quantiles[POINTS - 1] ? 1 : p(runEnd[first] & 0xff);
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
     * The first index whose quantile is at least x ({@code POINTS - 1} when none is). The guide
     * narrows the search to the quantiles of x's part (one or two, where eight steps of a binary
     * search over all of them would each wait for the last, and under many clients miss the cache
     * each); within them a search whose steps are selects, not branches: x falls anywhere, so a
     * branchy search would mispredict about every other step.
     */
    int firstAtLeast(double x) {
        if (guideScale == 0) {
            return firstAtLeast(x, 0, POINTS);
        }
        int b = part(x);
        return firstAtLeast(x, guide[b] & 0xff, guide[b + 1] & 0xff);
    }

    /**
     * The first index in [from, to) whose quantile is at least x, {@code to} if none, at most 200.
     */
    private int firstAtLeast(double x, int from, int to) {
        int base = from;
        int n = to - from;
        for (; n > 1; ) {
            int half = n >>> 1;
            base = quantiles[base + half - 1] < x ? base + half : base;
            n -= half;
        }
        if (n == 1 && quantiles[base] < x) {
            base++;
        }
        return Math.min(POINTS - 1, base);
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
