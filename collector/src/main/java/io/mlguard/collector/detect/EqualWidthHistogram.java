package io.mlguard.collector.detect;

/**
 * Counts of values in equal-width bins between their minimum and maximum: a compact picture of a
 * window of numbers (e.g. a client's query distances) that fits in a signal's evidence.
 *
 * @param upperEdges the upper edge of each bin (the last is the maximum)
 * @param counts how many finite values fell in each bin
 */
record EqualWidthHistogram(double[] upperEdges, long[] counts) {
    /** Bins the first {@code n} values; non-finite ones are left out. */
    static EqualWidthHistogram of(double[] values, int n, int bins) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            if (Double.isFinite(values[i])) {
                min = Math.min(min, values[i]);
                max = Math.max(max, values[i]);
            }
        }
        if (min > max) {
            return new EqualWidthHistogram(new double[0], new long[0]);
        }
        double width = (max - min) / bins;
        double[] edges = new double[bins];
        for (int b = 0; b < bins; b++) {
            edges[b] = b == bins - 1 ? max : min + width * (b + 1);
        }
        long[] counts = new long[bins];
        for (int i = 0; i < n; i++) {
            if (Double.isFinite(values[i])) {
                // Bins are (lower, upper] like their labels, the first one closed; all values
                // equal (width 0) go to the first bin.
                int b = width > 0 ? (int) Math.ceil((values[i] - min) / width) - 1 : 0;
                counts[Math.max(0, Math.min(bins - 1, b))]++;
            }
        }
        return new EqualWidthHistogram(edges, counts);
    }
}
