package io.mlguard.collector.detect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.mlguard.collector.detect.stats.Divergences;
import io.mlguard.collector.detect.stats.PsiTerms;
import io.mlguard.collector.profile.RecordStatistics;

/**
 * The predicted-class mix of a sliding window against the reference's class priors (PSI and
 * Jensen–Shannon over {@link RecordStatistics#CLASS_BINS} bins). Memory: one window of bins.
 */
final class ClassPriorMonitor {
    /** What a comparison found. */
    record Result(
            double psi, double js, int mostChangedClass, double referenceShare, double share) {}

    private final double[] expected;
    private final int[] window;
    private final double[] counts = new double[RecordStatistics.CLASS_BINS];
    // psi() without a logarithm per bin per step, as StatisticMonitor#psi: each bin's term, kept
    // for the count and the total it was computed for (a step moves a few classes of 64 bins)
    private PsiTerms psiTerms; // made at the first psi(), where compare() would fail
    private int filled;
    private int next;

    ClassPriorMonitor(long[] referenceCounts, int windowSize) {
        this.expected = new double[referenceCounts.length];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = referenceCounts[i];
        }
        this.window = new int[windowSize];
    }

    void add(int bin) {
        if (filled == window.length) {
            counts[window[next]]--;
        } else {
            filled++;
        }
        window[next] = bin;
        counts[bin]++;
        next = next + 1 == window.length ? 0 : next + 1; // no division per value
    }

    /** The window's bins in arrival order, oldest first (the counts follow from them). */
    ArrayNode saveState() {
        ArrayNode a = DetectorStateJson.MAPPER.createArrayNode();
        int start = filled == window.length ? next : 0;
        for (int i = 0; i < filled; i++) {
            a.add(window[(start + i) % window.length]);
        }
        return a;
    }

    void restoreState(JsonNode a) {
        if (a.size() > window.length) {
            throw new IllegalArgumentException("class window state is too long");
        }
        java.util.Arrays.fill(counts, 0);
        filled = 0;
        next = 0;
        for (JsonNode b : a) {
            int bin = b.asInt();
            if (bin < 0 || bin >= counts.length) {
                throw new IllegalArgumentException("class bin out of range: " + bin);
            }
            add(bin);
        }
    }

    boolean windowFull() {
        return filled == window.length;
    }

    /**
     * The window's PSI against the reference, exactly as {@link #compare()} computes it: the same
     * terms summed in the same order as {@link Divergences#psi}, a term computed again only when
     * its bin's count (or the total) changed. A caller that signals only above a PSI asks this
     * first and leaves Jensen–Shannon (two logarithms per bin) to the rare window that passes.
     */
    double psi() {
        double total = 0;
        for (double c : counts) {
            total += c;
        }
        if (!(total > 0) || expected.length > counts.length) {
            return Divergences.psi(expected, counts); // as it answers (an error)
        }
        if (psiTerms == null) {
            psiTerms = new PsiTerms(Divergences.psiShares(expected));
        }
        return psiTerms.psi(counts, total);
    }

    Result compare() {
        double total = 0;
        for (double e : expected) {
            total += e;
        }
        int worst = 0;
        double worstGap = -1;
        for (int i = 0; i < counts.length; i++) {
            double gap = Math.abs(counts[i] / filled - expected[i] / total);
            if (gap > worstGap) {
                worstGap = gap;
                worst = i;
            }
        }
        return new Result(
                Divergences.psi(expected, counts),
                Divergences.jensenShannon(expected, counts),
                worst,
                expected[worst] / total,
                counts[worst] / filled);
    }
}
