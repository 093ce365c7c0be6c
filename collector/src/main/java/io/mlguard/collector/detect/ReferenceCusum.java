package io.mlguard.collector.detect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.mlguard.collector.detect.stats.Cusum;
import io.mlguard.collector.detect.stats.Normal;
import io.mlguard.collector.profile.QuantileSketch;

/**
 * A two-sided CUSUM on the normal scores of one statistic under its reference sketch: the part of
 * drift and latency monitoring that {@link DriftDetector} and {@link OperationalDetector} share.
 *
 * <p>The score of x is {@code Φ⁻¹(F(x))} with F the reference's mid-CDF, N(0, 1) while nothing
 * changed. The threshold keeps the wanted ARL0 even though F is estimated: a reference of m values
 * (at most the sketch's sample) puts the in-control mean of the scores off by about 1/√m, and the
 * chart is calibrated for an error of {@link #REFERENCE_ERROR_SIGMAS} times that (see {@link
 * Cusum#thresholdFor(double, double, double)}).
 */
final class ReferenceCusum {
    /**
     * The CUSUM reference value: tuned to catch a half-sigma shift of the normal score fastest.
     * Drifts grow gradually, and a chart tuned to small shifts starts accumulating earlier on a
     * ramp; a sudden large shift is still caught in a few dozen values.
     */
    static final double K = 0.25;

    /** Standard errors of the reference's mean score the threshold allows for. */
    static final double REFERENCE_ERROR_SIGMAS = 2;

    /** Values behind a sketch at most (the profile's reservoir sample). */
    static final long MAX_REFERENCE_SAMPLE = io.mlguard.collector.profile.ProfileBuilder.SAMPLE;

    private final QuantileSketch reference;
    private final Cusum cusum;
    private final double arl0;
    private final double lowU;

    /**
     * @param arl0 the wanted mean number of in-control values between two false alarms
     */
    ReferenceCusum(QuantileSketch reference, double arl0) {
        this.reference = reference;
        this.arl0 = arl0;
        long m = Math.max(1, Math.min(reference.count(), MAX_REFERENCE_SAMPLE));
        // never more than half of k: a reference of a handful of values still gets a usable chart
        double meanError = Math.min(K / 2, REFERENCE_ERROR_SIGMAS / Math.sqrt(m));
        this.cusum = new Cusum(K, arl0, meanError);
        // The reference cannot resolve probabilities finer than 1/(2m): clamp there, so a value
        // beyond everything seen gives a large but finite score.
        this.lowU = 0.5 / m;
    }

    /** The normal score of x under the reference: N(0, 1) while nothing changed. */
    double score(double x) {
        double u = Math.min(1 - lowU, Math.max(lowU, reference.midCdf(x)));
        return Normal.quantile(u);
    }

    /** Adds a value; returns +1 for an upward alarm, -1 for a downward one, 0 otherwise. */
    int add(double x, double thresholdScale) {
        return cusum.add(score(x), thresholdScale);
    }

    /** As {@link #add}, for a value whose {@link #score} the caller already has. */
    int addScore(double score, double thresholdScale) {
        return cusum.add(score, thresholdScale);
    }

    /** The calibration behind an alarm, as every CUSUM signal reports it. */
    Signal.Builder calibration(Signal.Builder b, double thresholdScale) {
        return b.evidence("cusumThreshold", cusum.threshold() * thresholdScale)
                .evidence("arl0Records", arl0)
                .evidence("thresholdMultiplier", thresholdScale);
    }

    QuantileSketch reference() {
        return reference;
    }

    double threshold() {
        return cusum.threshold();
    }

    /** The running state: {@code [upper, lower, observations, alarms]}. */
    ArrayNode saveState() {
        return DetectorStateJson.MAPPER
                .createArrayNode()
                .add(DetectorStateJson.number(cusum.upper()))
                .add(DetectorStateJson.number(cusum.lower()))
                .add(cusum.observations())
                .add(cusum.alarms());
    }

    void restoreState(JsonNode c) {
        if (c.size() != 4) {
            throw new IllegalArgumentException("a CUSUM state has 4 numbers, got " + c.size());
        }
        cusum.restore(
                DetectorStateJson.toDouble(c.get(0)),
                DetectorStateJson.toDouble(c.get(1)),
                c.get(2).asLong(),
                c.get(3).asLong());
    }
}
