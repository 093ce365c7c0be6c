package io.mlguard.protocol;

import java.lang.invoke.VarHandle;

/**
 * Serialises an {@link InferenceRecord} into a reusable array with plain stores: exactly the bytes
 * {@link InferenceRecord#writeTo} writes, for the agent's hot path. Class loader: agent (shaded
 * with the protocol). Not thread-safe: the agent keeps one per writing thread.
 *
 * <p>{@code writeTo} stays the reference, mirrored by the readers: this is the same layout spelled
 * with array stores instead of some hundred Chronicle writes, each with its own bounds, closed and
 * thread checks ({@code RecordEncoderTest} compares the two byte for byte over random records).
 * Chronicle's encodings are reproduced: numbers in the platform's byte order (Chronicle's, see
 * {@link BodyCopyReader}), floating point by their raw bits (NaN payloads kept), strings as a
 * stop-bit length then each UTF-16 unit as one to three bytes (a surrogate alone, paired or not,
 * takes three), {@code null} as {@code 0x80 0x00}, strings cut at {@link Records#MAX_STRING}
 * characters.
 *
 * <p>The record's size is bounded before the first byte is written, so the array grows at most once
 * per record, and only for a record larger than any before it.
 */
public final class RecordEncoder {
    private static final VarHandle LONG = ChronicleOrder.LONG;
    private static final VarHandle INT = ChronicleOrder.INT;
    private static final VarHandle SHORT = ChronicleOrder.SHORT;

    /** Bytes of a tensor summary but for its name, its shape and its top-k. */
    private static final int TENSOR_FIXED = 1 + 1 + 8 * 8 + 4 + 8 + 1 + 4 + 4;

    private byte[] buf;

    /** An encoder whose array starts at {@code capacity} bytes. */
    public RecordEncoder(int capacity) {
        buf = new byte[capacity];
    }

    /**
     * The array the last {@link #encode} wrote into, from index 0; valid until the next call (which
     * may replace it with a larger one).
     */
    public byte[] buffer() {
        return buf;
    }

    /**
     * Writes {@code r}, envelope and body, at the start of {@link #buffer()} and returns its
     * length. A record that {@code writeTo} refuses (a count past its bound, a code that does not
     * fit its byte) is refused here too, with an exception.
     */
    public int encode(InferenceRecord r) {
        byte[] b = buf;
        int bound = bound(r);
        if (bound > b.length) {
            b = buf = new byte[Math.max(bound, b.length * 2)];
        }
        SHORT.set(b, 0, Records.MAGIC);
        b[2] = (byte) Records.SCHEMA_VERSION;
        b[3] = (byte) RecordType.INFERENCE.code();
        LONG.set(b, 4, r.timestampMillis);
        LONG.set(b, 12, r.latencyNanos);
        int p = string(b, 20, r.agentId);
        p = string(b, p, r.runtime);
        p = string(b, p, r.modelId);
        LONG.set(b, p, r.modelHashPrefix);
        b[p + 8] = (byte) r.outcome.ordinal();
        p = string(b, p + 9, r.errorType);
        b[p] = (byte) r.clientIdSource.ordinal();
        p = string(b, p + 1, r.clientId);
        p = string(b, p, r.requestPath);
        p = string(b, p, r.traceId);
        p = string(b, p, r.spanId);
        LONG.set(b, p, r.batchSize);
        p += 8;
        TensorSummary[] in = r.inputs;
        int n = r.inputCount;
        SHORT.set(b, p, (short) n);
        p += 2;
        for (int i = 0; i < n; i++) {
            p = tensor(b, p, in[i]);
        }
        TensorSummary[] out = r.outputs;
        n = r.outputCount;
        SHORT.set(b, p, (short) n);
        p += 2;
        for (int i = 0; i < n; i++) {
            p = tensor(b, p, out[i]);
        }
        b[p] = (byte) r.fingerprintKind;
        n = r.fingerprintLength;
        SHORT.set(b, p + 1, (short) n);
        System.arraycopy(r.fingerprint, 0, b, p + 3, n);
        p += 3 + n;
        n = r.featureCount;
        SHORT.set(b, p, (short) n);
        p += 2;
        float[] features = r.features;
        for (int i = 0; i < n; i++) {
            INT.set(b, p, Float.floatToRawIntBits(features[i]));
            p += 4;
        }
        return p;
    }

    private static int tensor(byte[] b, int p, TensorSummary t) {
        p = string(b, p, t.name);
        b[p] = t.dtype.code();
        int rank = t.rank;
        b[p + 1] = (byte) rank;
        p += 2;
        long[] shape = t.shape;
        for (int i = 0; i < rank; i++) {
            LONG.set(b, p, shape[i]);
            p += 8;
        }
        LONG.set(b, p, t.count);
        LONG.set(b, p + 8, t.sampled);
        LONG.set(b, p + 16, Double.doubleToRawLongBits(t.min));
        LONG.set(b, p + 24, Double.doubleToRawLongBits(t.max));
        LONG.set(b, p + 32, Double.doubleToRawLongBits(t.mean));
        LONG.set(b, p + 40, Double.doubleToRawLongBits(t.std));
        LONG.set(b, p + 48, t.nanCount);
        LONG.set(b, p + 56, t.infCount);
        INT.set(b, p + 64, Float.floatToRawIntBits(t.zeroFraction));
        LONG.set(b, p + 68, Double.doubleToRawLongBits(t.l2Norm));
        int k = t.topK;
        b[p + 76] = (byte) k;
        p += 77;
        int[] classes = t.topClasses;
        float[] scores = t.topScores;
        for (int i = 0; i < k; i++) {
            INT.set(b, p, classes[i]);
            INT.set(b, p + 4, Float.floatToRawIntBits(scores[i]));
            p += 8;
        }
        INT.set(b, p, Float.floatToRawIntBits(t.margin));
        INT.set(b, p + 4, Float.floatToRawIntBits(t.entropy));
        return p + 8;
    }

    /**
     * Chronicle's {@code writeUtf8} of {@code s} cut at {@link Records#MAX_STRING} characters, at
     * {@code p}; returns the position after it. The length in front is in bytes, so it is known
     * only once the characters are: it is guessed from an all-ASCII string, and the bytes already
     * written move by one in the rare case that guess is one byte short or long.
     */
    private static int string(byte[] b, int p, String s) {
        if (s == null) {
            b[p] = (byte) 0x80; // stop-bit -1
            b[p + 1] = 0;
            return p + 2;
        }
        int n = Math.min(s.length(), Records.MAX_STRING);
        int head = n < 128 ? 1 : 2;
        int q = p + head;
        int i = 0;
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                break;
            }
            b[q + i] = (byte) c;
        }
        if (i == n) {
            lengthAt(b, p, n);
            return q + n;
        }
        return nonAscii(b, p, s, n, i, head);
    }

    /** The rest of {@link #string} from the first character at or above 0x80, {@code i}. */
    private static int nonAscii(byte[] b, int p, String s, int n, int i, int head) {
        int length = i;
        for (int j = i; j < n; j++) {
            char c = s.charAt(j);
            length += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
        }
        int actual = length < 128 ? 1 : 2;
        if (actual != head) {
            System.arraycopy(b, p + head, b, p + actual, i);
        }
        lengthAt(b, p, length);
        int q = p + actual + i;
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                b[q++] = (byte) c;
            } else if (c < 0x800) {
                b[q] = (byte) (0xC0 | (c >> 6));
                b[q + 1] = (byte) (0x80 | (c & 0x3F));
                q += 2;
            } else {
                b[q] = (byte) (0xE0 | (c >> 12));
                b[q + 1] = (byte) (0x80 | ((c >> 6) & 0x3F));
                b[q + 2] = (byte) (0x80 | (c & 0x3F));
                q += 3;
            }
        }
        return q;
    }

    /** A stop-bit length below 2^14 (3 * MAX_STRING is): one byte below 128, else two. */
    private static void lengthAt(byte[] b, int p, int n) {
        if (n < 128) {
            b[p] = (byte) n;
        } else {
            b[p] = (byte) (n & 0x7F | 0x80);
            b[p + 1] = (byte) (n >>> 7);
        }
    }

    /**
     * At least the record's size, and checks what {@code writeTo} would refuse: the arrays are
     * indexed up to the counts, and a count or code must fit the byte or two it is written in.
     */
    private static int bound(InferenceRecord r) {
        int size = 4 + 8 + 8 + 8 + 1 + 1 + 8 + 2 + 2 + 1 + 2 + 2;
        size += string(r.agentId) + string(r.runtime) + string(r.modelId) + string(r.errorType);
        size += string(r.clientId) + string(r.requestPath) + string(r.traceId);
        size += string(r.spanId);
        size += tensors(r.inputs, r.inputCount) + tensors(r.outputs, r.outputCount);
        unsignedByte(r.fingerprintKind);
        int n = indexedUpTo("fingerprint length", r.fingerprintLength, r.fingerprint.length);
        int f = indexedUpTo("feature count", r.featureCount, r.features.length);
        return size + n + 4 * f;
    }

    private static int tensors(TensorSummary[] t, int n) {
        indexedUpTo("tensor count", n, t.length);
        int size = 0;
        for (int i = 0; i < n; i++) {
            TensorSummary s = t[i];
            int rank = indexedUpTo("tensor rank", s.rank, s.shape.length);
            int k = indexedUpTo("top-k", s.topK, s.topClasses.length);
            size += string(s.name) + TENSOR_FIXED + 8 * rank + 8 * k;
        }
        return size;
    }

    /** {@code n}, a count of entries of an array of {@code length}: refused if out of range. */
    private static int indexedUpTo(String what, int n, int length) {
        if (n < 0 || n > length) {
            throw new IllegalArgumentException(what + " " + n);
        }
        return n;
    }

    private static int string(String s) {
        return s == null ? 2 : 2 + 3 * Math.min(s.length(), Records.MAX_STRING);
    }

    private static void unsignedByte(int v) {
        if ((v & ~0xFF) != 0) {
            throw new ArithmeticException("not an unsigned byte: " + v);
        }
    }
}
