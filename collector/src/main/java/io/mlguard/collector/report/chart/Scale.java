package io.mlguard.collector.report.chart;

/**
 * A linear map from data values to pixels over the finite values only: NaN and infinities are
 * ignored when the range is found, and a range of one value (or none) is widened so that nothing
 * divides by zero.
 */
final class Scale {
    private final double min;
    private final double max;
    private final double fromPx;
    private final double toPx;

    private Scale(double min, double max, double fromPx, double toPx) {
        this.min = min;
        this.max = max;
        this.fromPx = fromPx;
        this.toPx = toPx;
    }

    /**
     * A scale over the finite values (plus {@code include}, e.g. 0 for bars, or NaN for nothing) to
     * the pixel range [fromPx, toPx].
     */
    static Scale of(double[][] values, double include, double fromPx, double toPx) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        if (Double.isFinite(include)) {
            lo = include;
            hi = include;
        }
        for (double[] vs : values) {
            for (double v : vs) {
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (lo > hi) {
            lo = 0;
            hi = 1;
        } else if (lo == hi) {
            double room = Math.max(1, Math.abs(lo)); // one value: give it room
            if (Double.isFinite(hi + room)) {
                hi += room;
            } else {
                lo -= room;
            }
        }
        return new Scale(lo, hi, fromPx, toPx);
    }

    /** The pixel of a finite value. */
    double px(double v) {
        // Halves, so that a range as wide as the doubles themselves does not overflow.
        double span = max / 2 - min / 2;
        double t = span > 0 ? (v / 2 - min / 2) / span : 0;
        t = Math.max(0, Math.min(1, Double.isFinite(t) ? t : 0));
        return fromPx + t * (toPx - fromPx);
    }

    /** The value at fraction {@code t} of the range, without overflowing. */
    double at(double t) {
        return min * (1 - t) + max * t;
    }

    double min() {
        return min;
    }

    double max() {
        return max;
    }
}
