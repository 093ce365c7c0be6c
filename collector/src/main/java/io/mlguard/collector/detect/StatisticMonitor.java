package io.mlguard.collector.detect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mlguard.collector.detect.stats.Divergences;
import io.mlguard.collector.detect.stats.KolmogorovSmirnov;
import io.mlguard.collector.detect.stats.PsiTerms;
import io.mlguard.collector.profile.QuantileSketch;
import java.util.Arrays;

/**
 * Watches one statistic of one model against its reference sketch, two ways: an online CUSUM on the
 * normal scores of single values (fast on a clear shift, calibrated by ARL0), and PSI, KS and
 * Jensen–Shannon of a sliding window (slower, but sees changes of shape as well as of location).
 * Memory: one window of doubles, a sort buffer and each value's decile bin.
 *
 * <p>The window's counts per reference decile are kept as values come and go, so its PSI costs ten
 * bins, not a sort of the window: a caller that needs a PSI above a threshold before anything else
 * ({@link DriftDetector}) asks {@link #psi()} first and sorts the window only when it passes.
 */
final class StatisticMonitor {
    /** What a window comparison found. */
    record WindowResult(
            double psi,
            double ks,
            double ksPValue,
            double js,
            double windowMedian,
            int n,
            Distribution distribution) {}

    /**
     * The reference and the window binned on the reference's deciles: bin i is {@code (edges[i-1],
     * edges[i]]}, the first and last open-ended. At most ten bins, so it fits in a signal's
     * evidence and a report can draw it.
     */
    record Distribution(double[] edges, double[] referenceShares, double[] windowShares) {}

    final String name;
    private final QuantileSketch reference;
    private final ReferenceCusum cusum;
    private final double[] window;
    private final double[] sorted;
    // the reference is immutable, so its decile edges and shares are too
    private final double[] edges;
    private final double[] expected;
    private final byte[] bins; // window[i]'s bin on edges
    private final double[] binCounts; // exact integers: the window's values per bin
    // psi() per value without a logarithm per bin: each bin's term, kept for the count and the
    // total it was computed for (a window moves two bins per value, and is full)
    private final PsiTerms psiTerms;
    private int filled;
    private int next;
    // The last value's score and bin, by its bits: both depend on x alone (the reference is
    // immutable), and discrete statistics (a categorical feature, a saturated confidence, a
    // constant) repeat their last value often, each repeat a sketch search at a mass point (two),
    // a normal quantile and a bin scan. Off: every value computed, the reference the tests compare
    // with.
    private final boolean lastValueCache;
    private boolean hasLast;
    private long lastBits;
    private double lastScore;
    private int lastBin;

    /** The model's record count up to which this statistic raises nothing (after a signal). */
    long quietUntil;

    StatisticMonitor(String name, QuantileSketch reference, int windowSize, double arl0) {
        this(name, reference, windowSize, arl0, true);
    }

    /** As the four-argument constructor; {@code lastValueCache} false computes every value anew. */
    StatisticMonitor(
            String name,
            QuantileSketch reference,
            int windowSize,
            double arl0,
            boolean lastValueCache) {
        this.lastValueCache = lastValueCache;
        this.name = name;
        this.reference = reference;
        this.cusum = new ReferenceCusum(reference, arl0);
        this.window = new double[windowSize];
        this.sorted = new double[windowSize];
        this.edges = reference.decileEdges();
        this.expected = reference.binShares(edges);
        this.bins = new byte[windowSize];
        this.binCounts = new double[edges.length + 1];
        this.psiTerms = new PsiTerms(Divergences.psiShares(expected));
    }

    /**
     * The bin of x on {@link #edges}: the number of edges below it, as {@link #sortAndBin}. The
     * edges increase, so counting every edge below x gives the bin a scan up to the first edge at
     * or above it gives, without the scan's exit branch, which x's bin makes unpredictable.
     */
    private int binOf(double x) {
        int bin = 0;
        for (double e : edges) {
            bin += x > e ? 1 : 0;
        }
        return bin;
    }

    /** The normal score of x under the reference: N(0, 1) while nothing changed. */
    double score(double x) {
        return cusum.score(x);
    }

    /** Adds a value; returns the CUSUM alarm (+1 up, -1 down, 0 none). */
    int add(double x) {
        return add(x, 1.0);
    }

    /** As {@link #add(double)}, with the CUSUM threshold scaled by {@code thresholdScale}. */
    int add(double x, double thresholdScale) {
        if (filled == window.length) {
            binCounts[bins[next]]--;
        }
        long bits = Double.doubleToRawLongBits(x);
        int bin;
        double score;
        if (hasLast && bits == lastBits) {
            bin = lastBin;
            score = lastScore;
        } else {
            bin = binOf(x);
            score = cusum.score(x);
            if (lastValueCache) {
                hasLast = true;
                lastBits = bits;
                lastBin = bin;
                lastScore = score;
            }
        }
        bins[next] = (byte) bin;
        binCounts[bin]++;
        window[next] = x;
        next = next + 1 == window.length ? 0 : next + 1; // no division per value
        filled = Math.min(filled + 1, window.length);
        return cusum.addScore(score, thresholdScale);
    }

    /** How many values the window holds (up to its size). */
    int filled() {
        return filled;
    }

    boolean windowFull() {
        return filled == window.length;
    }

    /**
     * The window's PSI against the reference, exactly as {@link #compare()} computes it, without
     * sorting the window.
     */
    double psi() {
        // the same terms, summed in the same order, as Divergences.psi(expected, binCounts): a
        // term is computed again only when its bin's count (or the total) changed
        double total = 0;
        for (double c : binCounts) {
            total += c;
        }
        if (!(total > 0) || Double.isInfinite(total)) {
            return Divergences.psi(expected, binCounts); // as it answers an empty window
        }
        return psiTerms.psi(binCounts, total);
    }

    WindowResult compare() {
        int n = filled;
        double[] edges = reference.decileEdges();
        double[] expected = reference.binShares(edges);
        double[] actual = sortAndBin(edges);
        double d = KolmogorovSmirnov.statistic(sorted, n, reference::cdf, reference::cdfBelow);
        double m = reference.count();
        double p = KolmogorovSmirnov.pValue(d, n * m / (n + m));
        return new WindowResult(
                Divergences.psi(expected, actual),
                d,
                p,
                Divergences.jensenShannon(expected, actual),
                sorted[n / 2],
                n,
                new Distribution(edges, expected, shares(actual, n)));
    }

    /** The values seen so far (a full or partial window) against the reference. */
    Distribution distribution() {
        double[] edges = reference.decileEdges();
        return new Distribution(
                edges, reference.binShares(edges), shares(sortAndBin(edges), filled));
    }

    /** Sorts the filled window into {@code sorted} and counts it per bin. */
    private double[] sortAndBin(double[] edges) {
        int n = filled;
        System.arraycopy(window, 0, sorted, 0, n);
        Arrays.sort(sorted, 0, n);
        double[] counts = new double[edges.length + 1];
        int bin = 0;
        for (int i = 0; i < n; i++) {
            while (bin < edges.length && sorted[i] > edges[bin]) {
                bin++;
            }
            counts[bin]++;
        }
        return counts;
    }

    private static double[] shares(double[] counts, int n) {
        double[] s = new double[counts.length];
        for (int i = 0; i < counts.length && n > 0; i++) {
            s[i] = counts[i] / n;
        }
        return s;
    }

    /** The window in arrival order (oldest first) and the CUSUM's running state. */
    ObjectNode saveState() {
        ObjectNode n = DetectorStateJson.MAPPER.createObjectNode();
        ArrayNode w = n.putArray("window");
        int start = filled == window.length ? next : 0;
        for (int i = 0; i < filled; i++) {
            w.add(DetectorStateJson.number(window[(start + i) % window.length]));
        }
        n.set("cusum", cusum.saveState());
        return n;
    }

    void restoreState(JsonNode n) {
        JsonNode w = n.path("window");
        JsonNode c = n.path("cusum");
        if (w.size() > window.length) {
            throw new IllegalArgumentException("statistic state does not fit its window");
        }
        for (int i = 0; i < w.size(); i++) {
            window[i] = DetectorStateJson.toDouble(w.get(i));
        }
        filled = w.size();
        next = filled % window.length;
        Arrays.fill(binCounts, 0);
        for (int i = 0; i < filled; i++) {
            bins[i] = (byte) binOf(window[i]);
            binCounts[bins[i]]++;
        }
        cusum.restoreState(c);
    }

    QuantileSketch reference() {
        return reference;
    }

    ReferenceCusum cusum() {
        return cusum;
    }
}
