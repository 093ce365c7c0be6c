package io.mlguard.collector.detect;

import io.mlguard.protocol.InferenceRecord;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Tells a client's repeated inputs from new ones, so drift statistics count each input once.
 *
 * <p>Real clients retry after a timeout and send bursts of near-identical frames (the same scene
 * with sensor noise). Such a burst is one observation of the input distribution, not five: counted
 * five times it makes consecutive values dependent, and a CUSUM calibrated for independent values
 * then alarms far more often than its ARL0 says, as does a window test that takes 500 values for
 * 500 independent ones. A record is a repeat when the same client's previous record of the same
 * model had a near-identical input: fingerprints within {@link #NEAR_IDENTICAL} per cell on average
 * (of 255), or, without a fingerprint, the very same input mean, std and features.
 *
 * <p>Memory is bounded by {@link #MAX_CLIENTS}: a set-associative table of that many clients,
 * {@link #WAYS} per set, the set chosen by the id's hash; a new client takes the place of the least
 * recently seen of its set (no linked list, no allocation per client: under 100,000 rotating ids
 * the access-ordered map this replaces cost a node, a relink and an eviction per record, cache
 * misses all). A client can thus be forgotten before {@code MAX_CLIENTS} others were seen, when its
 * set fills; a client forgotten and seen again simply has its next input counted. The filter is not
 * checkpointed for the same reason: after a restart each client's first input counts once more,
 * which costs nothing in calibration.
 */
final class RepeatFilter {
    /**
     * Mean absolute difference per fingerprint cell below which two inputs are one. Video frames
     * with 2% pixel noise differ by about 2–3 units after pooling; two different MNIST digits by
     * tens.
     */
    static final int NEAR_IDENTICAL = 6;

    /** Relative difference of summaries below which two inputs are one (frames differ by ~0.2%). */
    static final double RELATIVE_TOLERANCE = 0.02;

    static final int MAX_CLIENTS = 16_384;

    /** Clients per set of the table. */
    static final int WAYS = 4;

    private static final int SET_BITS = Integer.numberOfTrailingZeros(MAX_CLIENTS / WAYS);

    /**
     * A slot's last input lies in {@link #SLOT_BYTES} bytes of one array, from slot * SLOT_BYTES:
     * mean and std (8 bytes each), kind, length and feature count (4 each), then up to {@link
     * #INLINE_CELLS} fingerprint cells and {@link #INLINE_FEATURES} features, the inputs of a
     * thumbnail or a small tabular model. A new client takes the slot of one long unseen, whose
     * input is cold: an object per slot with an array per part cost three misses, one after the
     * other, before the first write (JFR: 5 % of the ingest thread); this costs a line or three,
     * written, not read. Longer inputs keep their part in arrays of their own ({@link #Large}).
     */
    static final int INLINE_CELLS = 64;

    static final int INLINE_FEATURES = 20;
    private static final int MEAN = 0;
    private static final int STD = 8;
    private static final int KIND = 16;
    private static final int LENGTH = 20;
    private static final int FEATURE_COUNT = 24;
    private static final int CELLS = 32;
    private static final int FEATURES = CELLS + INLINE_CELLS;
    static final int SLOT_BYTES = FEATURES + 4 * INLINE_FEATURES + 16; // 192: three lines

    private static final VarHandle DOUBLE =
            MethodHandles.byteArrayViewVarHandle(double[].class, ByteOrder.nativeOrder());
    private static final VarHandle FLOAT =
            MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.nativeOrder());
    private static final VarHandle INT =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.nativeOrder());

    /**
     * The parts of a slot's last input too long to lie inline, each as long as the longest input
     * remembered so far, up to the records' maxima (a slot costs what its inputs need).
     */
    private static final class Large {
        byte[] fingerprint = new byte[0];
        float[] features = new float[0];
    }

    // per table slot: the stamp of its last use (0: empty) and the id's hash side by side at
    // meta[2i] and meta[2i + 1], so a set's four ways are one cache line, not two; the id; its
    // last input's model and the rest of it
    private final long[] meta = new long[2 * MAX_CLIENTS];
    private final String[] ids = new String[MAX_CLIENTS];
    private final String[] models = new String[MAX_CLIENTS];
    private final byte[] inputs = new byte[MAX_CLIENTS * SLOT_BYTES];
    private final Large[] large = new Large[MAX_CLIENTS];
    private long clock;
    private long repeats;
    private long evictions;

    /** Whether {@code r} repeats its client's previous input; remembers it either way. */
    boolean repeat(InferenceRecord r) {
        if (r.inputCount == 0) {
            return false;
        }
        int slot = client(r.clientId == null ? "" : r.clientId);
        boolean same =
                r.modelId.equals(models[slot])
                        && nearSummary(r, slot)
                        && (r.fingerprintKind == InferenceRecord.FINGERPRINT_NONE
                                || nearFingerprint(r, slot));
        if (same) {
            repeats++;
        }
        remember(r, slot);
        return same;
    }

    /** The client's slot, its last input reset if the client is new (or was forgotten). */
    private int client(String id) {
        int h = id.hashCode();
        int base = ((h * 0x9e3779b9) >>> (32 - SET_BITS)) * WAYS;
        int victim = base;
        for (int i = base; i < base + WAYS; i++) {
            if (meta[2 * i] != 0 && (int) meta[2 * i + 1] == h && id.equals(ids[i])) {
                meta[2 * i] = ++clock;
                return i;
            }
            if (meta[2 * i] < meta[2 * victim]) {
                victim = i;
            }
        }
        if (meta[2 * victim] != 0) {
            evictions++;
        }
        // reset: no model (so nothing repeats it), no cells, no features
        models[victim] = null;
        INT.set(inputs, victim * SLOT_BYTES + LENGTH, 0);
        INT.set(inputs, victim * SLOT_BYTES + FEATURE_COUNT, 0);
        meta[2 * victim + 1] = h;
        ids[victim] = id;
        meta[2 * victim] = ++clock;
        return victim;
    }

    private boolean nearFingerprint(InferenceRecord r, int slot) {
        int at = slot * SLOT_BYTES;
        int length = (int) INT.get(inputs, at + LENGTH);
        if (r.fingerprintKind != (int) INT.get(inputs, at + KIND)
                || r.fingerprintLength != length) {
            // a length beyond the array never equals a remembered (clamped) one
            return false;
        }
        byte[] cells = length <= INLINE_CELLS ? inputs : large[slot].fingerprint;
        int from = length <= INLINE_CELLS ? at + CELLS : 0;
        int budget = NEAR_IDENTICAL * r.fingerprintLength;
        int diff = 0;
        for (int i = 0; i < r.fingerprintLength; i++) {
            diff += Math.abs((r.fingerprint[i] & 0xff) - (cells[from + i] & 0xff));
            if (diff > budget) {
                return false;
            }
        }
        return true;
    }

    private boolean nearSummary(InferenceRecord r, int slot) {
        int at = slot * SLOT_BYTES;
        int featureCount = (int) INT.get(inputs, at + FEATURE_COUNT);
        if (!near(r.inputs[0].mean, (double) DOUBLE.get(inputs, at + MEAN))
                || !near(r.inputs[0].std, (double) DOUBLE.get(inputs, at + STD))
                || r.featureCount != featureCount) {
            return false;
        }
        if (featureCount <= INLINE_FEATURES) {
            for (int i = 0; i < r.featureCount; i++) {
                if (!near(r.features[i], (float) FLOAT.get(inputs, at + FEATURES + 4 * i))) {
                    return false;
                }
            }
            return true;
        }
        float[] features = large[slot].features;
        for (int i = 0; i < r.featureCount; i++) {
            if (!near(r.features[i], features[i])) {
                return false;
            }
        }
        return true;
    }

    private static boolean near(double a, double b) {
        // false for NaN: an input that is not a number repeats nothing
        return Math.abs(a - b) <= RELATIVE_TOLERANCE * Math.max(Math.abs(a), Math.abs(b));
    }

    private void remember(InferenceRecord r, int slot) {
        int at = slot * SLOT_BYTES;
        models[slot] = r.modelId;
        INT.set(inputs, at + KIND, r.fingerprintKind);
        int length = Math.min(r.fingerprintLength, io.mlguard.protocol.Records.MAX_FINGERPRINT);
        INT.set(inputs, at + LENGTH, length);
        if (length <= INLINE_CELLS) {
            System.arraycopy(r.fingerprint, 0, inputs, at + CELLS, length);
        } else {
            Large l = large(slot);
            if (l.fingerprint.length < length) {
                l.fingerprint = new byte[length];
            }
            System.arraycopy(r.fingerprint, 0, l.fingerprint, 0, length);
        }
        DOUBLE.set(inputs, at + MEAN, r.inputs[0].mean);
        DOUBLE.set(inputs, at + STD, r.inputs[0].std);
        int featureCount = Math.min(r.featureCount, io.mlguard.protocol.Records.MAX_FEATURES);
        INT.set(inputs, at + FEATURE_COUNT, featureCount);
        if (featureCount <= INLINE_FEATURES) {
            for (int i = 0; i < featureCount; i++) {
                FLOAT.set(inputs, at + FEATURES + 4 * i, r.features[i]);
            }
        } else {
            Large l = large(slot);
            if (l.features.length < featureCount) {
                l.features = new float[featureCount];
            }
            System.arraycopy(r.features, 0, l.features, 0, featureCount);
        }
    }

    private Large large(int slot) {
        Large l = large[slot];
        if (l == null) {
            l = new Large();
            large[slot] = l;
        }
        return l;
    }

    /** Records found to repeat their client's previous input. */
    long repeats() {
        return repeats;
    }

    /** Clients whose last input is held (at most {@link #MAX_CLIENTS}). */
    int trackedClients() {
        int n = 0;
        for (int i = 0; i < MAX_CLIENTS; i++) {
            n += meta[2 * i] != 0 ? 1 : 0;
        }
        return n;
    }

    /** Clients forgotten to make room for others. */
    long evictions() {
        return evictions;
    }
}
