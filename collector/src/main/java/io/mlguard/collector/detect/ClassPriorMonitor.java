package io.mlguard.collector.detect;

import io.mlguard.collector.detect.stats.Divergences;
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
        next = (next + 1) % window.length;
    }

    boolean windowFull() {
        return filled == window.length;
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
