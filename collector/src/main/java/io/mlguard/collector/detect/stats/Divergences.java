package io.mlguard.collector.detect.stats;

/**
 * Distances between two binned distributions given as counts or proportions over the same bins.
 * Empty bins are floored at {@link #EPSILON} of the mass, the usual convention for PSI, so that a
 * bin that was empty in one distribution gives a large but finite value.
 */
public final class Divergences {
    /** The proportion an empty bin is taken to hold. */
    public static final double EPSILON = 1e-4;

    private Divergences() {}

    /**
     * Population stability index, {@code sum((a - e) * ln(a / e))}, of {@code actual} against
     * {@code expected}. Rules of thumb: below 0.1 stable, 0.1 to 0.25 moderate, above 0.25 a shift.
     */
    public static double psi(double[] expected, double[] actual) {
        double[] e = normalised(expected, true);
        double[] a = normalised(actual, true);
        double sum = 0;
        for (int i = 0; i < e.length; i++) {
            sum += psiTerm(a[i], e[i]);
        }
        return sum;
    }

    /**
     * The shares {@link #psi} compares: the counts over their total, each floored at {@link
     * #EPSILON}.
     */
    public static double[] psiShares(double[] counts) {
        return normalised(counts, true);
    }

    /** One bin's term of {@link #psi}, for shares as {@link #psiShares} gives them. */
    public static double psiTerm(double actualShare, double expectedShare) {
        return (actualShare - expectedShare) * Math.log(actualShare / expectedShare);
    }

    /** Jensen–Shannon divergence in bits (0 for equal distributions, 1 for disjoint ones). */
    public static double jensenShannon(double[] p, double[] q) {
        double[] a = normalised(p, false);
        double[] b = normalised(q, false);
        if (a.length != b.length) {
            throw new IllegalArgumentException("different numbers of bins");
        }
        double js = 0;
        for (int i = 0; i < a.length; i++) {
            double m = (a[i] + b[i]) / 2;
            js += half(a[i], m) + half(b[i], m);
        }
        return Math.max(0, js / Math.log(2));
    }

    private static double half(double x, double m) {
        return x > 0 ? 0.5 * x * Math.log(x / m) : 0;
    }

    private static double[] normalised(double[] counts, boolean floor) {
        double total = 0;
        for (double c : counts) {
            if (!(c >= 0) || Double.isInfinite(c)) {
                throw new IllegalArgumentException("bin counts must be finite and >= 0");
            }
            total += c;
        }
        if (total <= 0) {
            throw new IllegalArgumentException("a distribution with no mass");
        }
        double[] out = new double[counts.length];
        for (int i = 0; i < counts.length; i++) {
            double v = counts[i] / total;
            out[i] = floor ? Math.max(v, EPSILON) : v;
        }
        return out;
    }
}
