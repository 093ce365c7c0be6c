package io.mlguard.collector.profile;

import io.mlguard.protocol.InferenceRecord;
import io.mlguard.protocol.TensorSummary;

/**
 * The per-record numbers a profile describes, extracted the same way when the profile is built and
 * when traffic is compared with it. Names are stable: they are the keys of a saved profile.
 *
 * <p>Every statistic describes one sample. The input tensor's mean, std, norm and zero fraction are
 * taken only from single-sample records: the agent summarises a batch as one tensor, whose norm
 * grows with √batch and whose mean and spread pool several samples (the mean of three digits varies
 * a third as much as one digit's), so a profile made while some clients batched did not describe
 * clients that do not (measured on real MNIST in the detection benchmark's traffic: KS distance
 * 0.20 on the batch norm; with the norm divided by √batch, still at least three false CUSUM alarms
 * on input.std and input.l2Norm in 1,000,000 benign records of DriftOnRealTrafficTest's mix,
 * against one without batch records). Outputs and features describe the first row already.
 */
public final class RecordStatistics {
    public static final String INPUT_MEAN = "input.mean";
    public static final String INPUT_STD = "input.std";
    public static final String INPUT_L2 = "input.l2Norm";
    public static final String INPUT_ZERO_FRACTION = "input.zeroFraction";
    public static final String CONFIDENCE = "output.confidence";
    public static final String ENTROPY = "output.entropy";
    public static final String MARGIN = "output.margin";
    public static final String LATENCY_MICROS = "latencyMicros";

    /** Feature statistics are named {@code feature.<index>}; only the first ones are profiled. */
    public static final String FEATURE_PREFIX = "feature.";

    /** Bounds the number of feature sketches whatever the agent captures. */
    public static final int MAX_FEATURES = 32;

    /** Predicted classes at or above this one share the last bin of the class priors. */
    public static final int CLASS_BINS = 64;

    /*
     * Every statistic a record can yield has a fixed slot, so that a consumer that visits every
     * record (drift) resolves its per-statistic state once per model and then indexes an array,
     * instead of hashing the name of each value of each record.
     */
    public static final int SLOT_INPUT_MEAN = 0;
    public static final int SLOT_INPUT_STD = 1;
    public static final int SLOT_INPUT_L2 = 2;
    public static final int SLOT_INPUT_ZERO_FRACTION = 3;
    public static final int SLOT_CONFIDENCE = 4;
    public static final int SLOT_ENTROPY = 5;
    public static final int SLOT_MARGIN = 6;
    public static final int SLOT_LATENCY_MICROS = 7;

    /** The slot of {@code feature.0}; feature i is at {@code SLOT_FEATURE_0 + i}. */
    public static final int SLOT_FEATURE_0 = 8;

    /** Number of slots: every statistic name {@link #slot(String)} knows is below it. */
    public static final int SLOTS = SLOT_FEATURE_0 + MAX_FEATURES;

    private static final String[] NAMES = new String[SLOTS];

    static {
        NAMES[SLOT_INPUT_MEAN] = INPUT_MEAN;
        NAMES[SLOT_INPUT_STD] = INPUT_STD;
        NAMES[SLOT_INPUT_L2] = INPUT_L2;
        NAMES[SLOT_INPUT_ZERO_FRACTION] = INPUT_ZERO_FRACTION;
        NAMES[SLOT_CONFIDENCE] = CONFIDENCE;
        NAMES[SLOT_ENTROPY] = ENTROPY;
        NAMES[SLOT_MARGIN] = MARGIN;
        NAMES[SLOT_LATENCY_MICROS] = LATENCY_MICROS;
        for (int i = 0; i < MAX_FEATURES; i++) {
            NAMES[SLOT_FEATURE_0 + i] = FEATURE_PREFIX + i;
        }
    }

    /** Receives a named value; called only for finite values. */
    @FunctionalInterface
    public interface Visitor {
        void value(String name, double v);
    }

    /** Receives a value by its statistic's slot ({@link #name(int)}); only finite values. */
    @FunctionalInterface
    public interface SlotVisitor {
        void value(int slot, double v);
    }

    /** The statistic name of a slot in {@code [0, SLOTS)}. */
    public static String name(int slot) {
        return NAMES[slot];
    }

    /** The slot of a statistic name, or -1 for a name no record yields. */
    public static int slot(String name) {
        for (int i = 0; i < SLOTS; i++) {
            if (NAMES[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private RecordStatistics() {}

    /** Whether a record describes normal traffic at all: it ran and its inputs were finite. */
    public static boolean usable(InferenceRecord r) {
        if (r.outcome != io.mlguard.protocol.Outcome.OK) {
            return false;
        }
        for (int i = 0; i < r.inputCount; i++) {
            if (r.inputs[i].nanCount > 0 || r.inputs[i].infCount > 0) {
                return false;
            }
        }
        return true;
    }

    /** Visits the input-side statistics (data drift). */
    public static void inputs(InferenceRecord r, Visitor v) {
        inputSlots(r, (slot, x) -> v.value(NAMES[slot], x));
    }

    /** Visits the output-side statistics (prediction drift). */
    public static void outputs(InferenceRecord r, Visitor v) {
        outputSlots(r, (slot, x) -> v.value(NAMES[slot], x));
    }

    /** As {@link #inputs}, by slot. */
    public static void inputSlots(InferenceRecord r, SlotVisitor v) {
        if (r.inputCount > 0
                && r.batchSize <= 1
                && r.inputs[0].dtype.isNumeric()
                && r.inputs[0].count > 0) {
            TensorSummary t = r.inputs[0];
            visit(v, SLOT_INPUT_MEAN, t.mean);
            visit(v, SLOT_INPUT_STD, t.std);
            visit(v, SLOT_INPUT_L2, t.l2Norm);
            visit(v, SLOT_INPUT_ZERO_FRACTION, t.zeroFraction);
        }
        int features = Math.min(r.featureCount, MAX_FEATURES);
        for (int i = 0; i < features; i++) {
            visit(v, SLOT_FEATURE_0 + i, r.features[i]);
        }
    }

    /** As {@link #outputs}, by slot. */
    public static void outputSlots(InferenceRecord r, SlotVisitor v) {
        TensorSummary t = classifierOutput(r);
        if (t != null) {
            visit(v, SLOT_CONFIDENCE, t.topScores[0]);
            visit(v, SLOT_ENTROPY, t.entropy);
            visit(v, SLOT_MARGIN, t.margin);
        }
    }

    /** The predicted class's bin in the class priors, or -1 when the record has none. */
    public static int predictedClassBin(InferenceRecord r) {
        TensorSummary t = classifierOutput(r);
        if (t == null || t.topClasses[0] < 0) {
            return -1;
        }
        return Math.min(t.topClasses[0], CLASS_BINS - 1);
    }

    private static TensorSummary classifierOutput(InferenceRecord r) {
        for (int i = 0; i < r.outputCount; i++) {
            if (r.outputs[i].topK > 0) {
                return r.outputs[i];
            }
        }
        return null;
    }

    private static void visit(SlotVisitor v, int slot, double x) {
        if (Double.isFinite(x)) {
            v.value(slot, x);
        }
    }
}
