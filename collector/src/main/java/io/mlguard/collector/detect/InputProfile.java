package io.mlguard.collector.detect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.mlguard.protocol.TensorSummary;

/**
 * Where one model's image inputs lie in two statistics the agent already sends, learnt from the
 * model's first {@link #WINDOW} good inferences and frozen afterwards (as {@link ReferenceRange},
 * whose slack it uses): the fraction of exactly-zero elements, and the mean of the non-zero ones
 * ({@code mean / (1 - zeroFraction)}). Real images of one kind keep both in a narrow band (MNIST
 * digits: zero fraction 0.63 to 0.95, non-zero mean 0.46 to 0.90 over 2,000 held-out digits). A
 * perturbation spread over the whole image moves them far out: the Square attack's first query adds
 * stripes of +eps (0.12) that turn about half the blank background into faint pixels (zero fraction
 * ~0.41, non-zero mean ~0.29), and every later query keeps them.
 *
 * <p>Out of profile is no attack by itself: noisy camera frames and a noise drift move the same
 * statistics. {@link QueryAttackDetector} only counts it together with its windowed test.
 */
final class InputProfile {
    /** Good inferences that make the profile; then it is frozen. */
    static final int WINDOW = 1000;

    private final ReferenceRange zeroFraction;
    private final ReferenceRange nonZeroMean;

    InputProfile() {
        this(new ReferenceRange(WINDOW), new ReferenceRange(WINDOW));
    }

    private InputProfile(ReferenceRange zeroFraction, ReferenceRange nonZeroMean) {
        this.zeroFraction = zeroFraction;
        this.nonZeroMean = nonZeroMean;
    }

    InputProfile copy() {
        return new InputProfile(copy(zeroFraction), copy(nonZeroMean));
    }

    private static ReferenceRange copy(ReferenceRange r) {
        return new ReferenceRange(WINDOW, r.seen(), r.min(), r.max());
    }

    boolean complete() {
        return zeroFraction.complete();
    }

    /** The mean of the non-zero elements; 0 for an all-zero tensor. */
    static double nonZeroMean(TensorSummary t) {
        return t.zeroFraction < 1f ? t.mean / (1.0 - t.zeroFraction) : 0.0;
    }

    /** Whether {@code t} can be profiled: numeric statistics that are all finite. */
    static boolean usable(TensorSummary t) {
        return t.count > 0
                && t.nanCount == 0
                && t.infCount == 0
                && Double.isFinite(t.mean)
                && t.dtype.isNumeric();
    }

    /** Adds a good inference's input to a profile still being made. */
    void learn(TensorSummary t) {
        zeroFraction.add(t.zeroFraction, t.zeroFraction);
        double m = nonZeroMean(t);
        nonZeroMean.add(m, m);
    }

    /** Whether a complete profile does not hold {@code t}. */
    boolean outside(TensorSummary t) {
        double m = nonZeroMean(t);
        return complete()
                && (!zeroFraction.contains(t.zeroFraction, t.zeroFraction)
                        || !nonZeroMean.contains(m, m));
    }

    ReferenceRange zeroFraction() {
        return zeroFraction;
    }

    ReferenceRange nonZeroMean() {
        return nonZeroMean;
    }

    /** {@code [seen, zeroMin, zeroMax, meanMin, meanMax]}. */
    ArrayNode saveState() {
        ArrayNode a = DetectorStateJson.MAPPER.createArrayNode();
        a.add(zeroFraction.seen());
        a.add(DetectorStateJson.number(zeroFraction.min()));
        a.add(DetectorStateJson.number(zeroFraction.max()));
        a.add(DetectorStateJson.number(nonZeroMean.min()));
        a.add(DetectorStateJson.number(nonZeroMean.max()));
        return a;
    }

    /** What {@link #saveState()} wrote; a fresh profile for a missing node (older states). */
    static InputProfile restore(JsonNode a) {
        if (a == null || !a.isArray() || a.size() != 5) {
            return new InputProfile();
        }
        int seen = a.path(0).asInt();
        return new InputProfile(
                new ReferenceRange(
                        WINDOW,
                        seen,
                        DetectorStateJson.toDouble(a.path(1)),
                        DetectorStateJson.toDouble(a.path(2))),
                new ReferenceRange(
                        WINDOW,
                        seen,
                        DetectorStateJson.toDouble(a.path(3)),
                        DetectorStateJson.toDouble(a.path(4))));
    }
}
