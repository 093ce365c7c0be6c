package io.mlguard.collector.detect;

/**
 * The range of values one model input took during its reference window: the first {@code size} good
 * inferences. After that it is frozen, so a slow drift by an attacker cannot widen it.
 */
final class ReferenceRange {
    // Relative slack on each side of the reference span: summaries of sampled tensors and
    // ordinary batch-to-batch variation should not raise alarms on their own.
    static final double RELATIVE_TOLERANCE = 0.05;

    private final int size;
    private int seen;
    private double min = Double.POSITIVE_INFINITY;
    private double max = Double.NEGATIVE_INFINITY;

    ReferenceRange(int size) {
        this.size = size;
    }

    /** A range restored from a checkpoint. */
    ReferenceRange(int size, int seen, double min, double max) {
        this.size = size;
        this.seen = seen;
        this.min = min;
        this.max = max;
    }

    boolean complete() {
        return seen >= size;
    }

    void add(double observedMin, double observedMax) {
        min = Math.min(min, observedMin);
        max = Math.max(max, observedMax);
        seen++;
    }

    double min() {
        return min;
    }

    double max() {
        return max;
    }

    int seen() {
        return seen;
    }

    /** How far outside the reference a value may go; never zero, so constant inputs work too. */
    double tolerance() {
        double span = max - min;
        double magnitude = Math.max(1.0, Math.max(Math.abs(min), Math.abs(max)));
        return Math.max(span * RELATIVE_TOLERANCE, 1e-6 * magnitude);
    }

    double allowedMin() {
        return allowedMin(1.0);
    }

    double allowedMax() {
        return allowedMax(1.0);
    }

    /** The lower bound with the slack multiplied by {@code scale} (operators' feedback). */
    double allowedMin(double scale) {
        return min - tolerance() * scale;
    }

    double allowedMax(double scale) {
        return max + tolerance() * scale;
    }

    boolean contains(double observedMin, double observedMax) {
        return contains(observedMin, observedMax, 1.0);
    }

    boolean contains(double observedMin, double observedMax, double scale) {
        return observedMin >= allowedMin(scale) && observedMax <= allowedMax(scale);
    }
}
