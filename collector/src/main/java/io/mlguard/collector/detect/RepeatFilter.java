package io.mlguard.collector.detect;

import io.mlguard.protocol.InferenceRecord;

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

    private static final byte[] NO_BYTES = {};
    private static final float[] NO_FLOATS = {};

    /** The last input of one client. */
    private static final class LastInput {
        String model;
        int kind;
        int length;
        // as long as the longest input remembered so far, up to the records' maxima: a client's
        // table slot costs what its inputs need (a 64-cell fingerprint and a few features), not
        // the 1.3 kB of the maxima, allocated and zeroed for each of 16,384 slots
        byte[] fingerprint = NO_BYTES;
        double mean;
        double std;
        int featureCount;
        float[] features = NO_FLOATS;

        void reset() {
            model = null;
            length = 0;
            featureCount = 0;
        }
    }

    // per table slot: the stamp of its last use (0: empty) and the id's hash side by side at
    // meta[2i] and meta[2i + 1], so a set's four ways are one cache line, not two; the id; its
    // last input
    private final long[] meta = new long[2 * MAX_CLIENTS];
    private final String[] ids = new String[MAX_CLIENTS];
    private final LastInput[] inputs = new LastInput[MAX_CLIENTS];
    private long clock;
    private long repeats;
    private long evictions;

    /** Whether {@code r} repeats its client's previous input; remembers it either way. */
    boolean repeat(InferenceRecord r) {
        if (r.inputCount == 0) {
            return false;
        }
        LastInput last = client(r.clientId == null ? "" : r.clientId);
        boolean same =
                r.modelId.equals(last.model)
                        && nearSummary(r, last)
                        && (r.fingerprintKind == InferenceRecord.FINGERPRINT_NONE
                                || nearFingerprint(r, last));
        if (same) {
            repeats++;
        }
        remember(r, last);
        return same;
    }

    /** The client's last input, a reset one if the client is new (or was forgotten). */
    private LastInput client(String id) {
        int h = id.hashCode();
        int base = ((h * 0x9e3779b9) >>> (32 - SET_BITS)) * WAYS;
        int victim = base;
        for (int i = base; i < base + WAYS; i++) {
            if (meta[2 * i] != 0 && (int) meta[2 * i + 1] == h && id.equals(ids[i])) {
                meta[2 * i] = ++clock;
                return inputs[i];
            }
            if (meta[2 * i] < meta[2 * victim]) {
                victim = i;
            }
        }
        if (meta[2 * victim] != 0) {
            evictions++;
        }
        LastInput last = inputs[victim];
        if (last == null) {
            last = new LastInput();
            inputs[victim] = last;
        } else {
            last.reset();
        }
        meta[2 * victim + 1] = h;
        ids[victim] = id;
        meta[2 * victim] = ++clock;
        return last;
    }

    private static boolean nearFingerprint(InferenceRecord r, LastInput last) {
        if (r.fingerprintKind != last.kind || r.fingerprintLength != last.length) {
            // a length beyond the array never equals a remembered (clamped) one
            return false;
        }
        int budget = NEAR_IDENTICAL * r.fingerprintLength;
        int diff = 0;
        for (int i = 0; i < r.fingerprintLength; i++) {
            diff += Math.abs((r.fingerprint[i] & 0xff) - (last.fingerprint[i] & 0xff));
            if (diff > budget) {
                return false;
            }
        }
        return true;
    }

    private static boolean nearSummary(InferenceRecord r, LastInput last) {
        if (!near(r.inputs[0].mean, last.mean)
                || !near(r.inputs[0].std, last.std)
                || r.featureCount != last.featureCount) {
            return false;
        }
        for (int i = 0; i < r.featureCount; i++) {
            if (!near(r.features[i], last.features[i])) {
                return false;
            }
        }
        return true;
    }

    private static boolean near(double a, double b) {
        // false for NaN: an input that is not a number repeats nothing
        return Math.abs(a - b) <= RELATIVE_TOLERANCE * Math.max(Math.abs(a), Math.abs(b));
    }

    private static void remember(InferenceRecord r, LastInput last) {
        last.model = r.modelId;
        last.kind = r.fingerprintKind;
        last.length = Math.min(r.fingerprintLength, io.mlguard.protocol.Records.MAX_FINGERPRINT);
        if (last.fingerprint.length < last.length) {
            last.fingerprint = new byte[last.length];
        }
        System.arraycopy(r.fingerprint, 0, last.fingerprint, 0, last.length);
        last.mean = r.inputs[0].mean;
        last.std = r.inputs[0].std;
        last.featureCount = Math.min(r.featureCount, io.mlguard.protocol.Records.MAX_FEATURES);
        if (last.features.length < last.featureCount) {
            last.features = new float[last.featureCount];
        }
        System.arraycopy(r.features, 0, last.features, 0, last.featureCount);
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
