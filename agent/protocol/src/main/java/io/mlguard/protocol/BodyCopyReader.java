package io.mlguard.protocol;

import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import net.openhft.chronicle.bytes.BytesIn;

/**
 * Decodes an inference record's body from one copy of its bytes on the heap, for a reader that
 * reads record after record into one {@link InferenceRecord}: the body is copied out of the queue's
 * mapped memory in one bulk read and parsed from a plain array, instead of some sixty single reads
 * of the mapped bytes, each with its own bounds, thread and closed checks (15 % of the collector's
 * ingest thread).
 *
 * <p>Only the common shape is parsed here: ASCII strings shorter than 128 bytes or null, counts
 * within the bounds, known outcome and client id source codes, a body that fits the buffer. On
 * anything else (a longer or non-ASCII string, a bad count or code, a truncated body) it gives up,
 * having changed nothing but the record it fills and the string cache, and the caller decodes the
 * body again with {@link InferenceRecord#readBody} from the same position: what that reader returns
 * or throws is then the answer, so a malformed record fails exactly as before. Numbers are read in
 * the byte order Chronicle writes them (the platform's, as its own reads assume).
 */
final class BodyCopyReader {
    /** Bodies up to this size are copied; larger ones are read the plain way. */
    static final int MAX_BODY = 8192;

    private static final VarHandle LONG = ChronicleOrder.LONG;
    private static final VarHandle INT = ChronicleOrder.INT;
    private static final VarHandle SHORT = ChronicleOrder.SHORT;

    /** Thrown (without a stack trace) when the body is not of the common shape. */
    private static final class NotCommon extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotCommon() {
            super(null, null, false, false);
        }
    }

    private static final NotCommon NOT_COMMON = new NotCommon();

    private final byte[] buf = new byte[MAX_BODY];
    private final StringCache strings;
    private int pos;
    private int limit;
    private long decoded; // bodies decoded here (tests: the common shape takes this path)

    BodyCopyReader(StringCache strings) {
        this.strings = strings;
    }

    /**
     * Decodes the body at {@code in}'s read position into {@code r} (cleared) and moves past it;
     * returns false, with {@code in}'s position unchanged, when the body is not of the common
     * shape.
     */
    boolean read(BytesIn<?> in, InferenceRecord r) {
        long start = in.readPosition();
        long remaining = in.readRemaining();
        if (remaining > MAX_BODY) {
            return false;
        }
        int n = (int) remaining;
        if (in.read(buf, 0, n) != n && n > 0) {
            in.readPosition(start);
            return false;
        }
        pos = 0;
        limit = n;
        try {
            parse(r);
        } catch (NotCommon | RecordFormatException e) {
            // not the common shape, or an unknown outcome or source code: the plain reader
            // answers, as it always did
            in.readPosition(start);
            return false;
        }
        in.readPosition(start + pos);
        decoded++;
        return true;
    }

    /** Bodies decoded from a copy so far. */
    long decoded() {
        return decoded;
    }

    private void parse(InferenceRecord r) {
        need(16);
        r.timestampMillis = (long) LONG.get(buf, pos);
        r.latencyNanos = (long) LONG.get(buf, pos + 8);
        pos += 16;
        r.agentId = cached();
        r.runtime = cached();
        r.modelId = cached();
        need(9);
        r.modelHashPrefix = (long) LONG.get(buf, pos);
        r.outcome = Outcome.ofCode(buf[pos + 8] & 0xff); // an unknown code: see read
        pos += 9;
        r.errorType = cached();
        need(1);
        r.clientIdSource = ClientIdSource.ofCode(buf[pos++] & 0xff);
        r.clientId = cached();
        r.requestPath = cached();
        r.traceId = uncached();
        r.spanId = uncached();
        need(8);
        r.batchSize = (long) LONG.get(buf, pos);
        pos += 8;
        r.inputCount = count(Records.MAX_TENSORS);
        for (int i = 0; i < r.inputCount; i++) {
            tensor(r.inputs[i]);
        }
        r.outputCount = count(Records.MAX_TENSORS);
        for (int i = 0; i < r.outputCount; i++) {
            tensor(r.outputs[i]);
        }
        need(1);
        r.fingerprintKind = buf[pos++] & 0xff;
        int length = count(Records.MAX_FINGERPRINT);
        need(length);
        System.arraycopy(buf, pos, r.fingerprint, 0, length);
        r.fingerprintLength = length;
        pos += length;
        int features = count(Records.MAX_FEATURES);
        need(4 * features);
        for (int i = 0; i < features; i++) {
            r.features[i] = Float.intBitsToFloat((int) INT.get(buf, pos + 4 * i));
        }
        r.featureCount = features;
        pos += 4 * features;
    }

    private void tensor(TensorSummary t) {
        t.name = cached();
        need(2);
        t.dtype = DType.ofCode(buf[pos]);
        int rank = buf[pos + 1] & 0xff;
        pos += 2;
        if (rank > Records.MAX_RANK) {
            throw NOT_COMMON;
        }
        need(8 * rank + 8 * 8 + 4 + 8 + 1);
        for (int i = 0; i < rank; i++) {
            t.shape[i] = (long) LONG.get(buf, pos + 8 * i);
        }
        t.rank = rank;
        int p = pos + 8 * rank;
        t.count = (long) LONG.get(buf, p);
        t.sampled = (long) LONG.get(buf, p + 8);
        t.min = Double.longBitsToDouble((long) LONG.get(buf, p + 16));
        t.max = Double.longBitsToDouble((long) LONG.get(buf, p + 24));
        t.mean = Double.longBitsToDouble((long) LONG.get(buf, p + 32));
        t.std = Double.longBitsToDouble((long) LONG.get(buf, p + 40));
        t.nanCount = (long) LONG.get(buf, p + 48);
        t.infCount = (long) LONG.get(buf, p + 56);
        t.zeroFraction = Float.intBitsToFloat((int) INT.get(buf, p + 64));
        t.l2Norm = Double.longBitsToDouble((long) LONG.get(buf, p + 68));
        int topK = buf[p + 76] & 0xff;
        pos = p + 77;
        if (topK > Records.MAX_TOP_K) {
            throw NOT_COMMON;
        }
        need(8 * topK + 8);
        for (int i = 0; i < topK; i++) {
            t.topClasses[i] = (int) INT.get(buf, pos + 8 * i);
            t.topScores[i] = Float.intBitsToFloat((int) INT.get(buf, pos + 8 * i + 4));
        }
        t.topK = topK;
        p = pos + 8 * topK;
        t.margin = Float.intBitsToFloat((int) INT.get(buf, p));
        t.entropy = Float.intBitsToFloat((int) INT.get(buf, p + 4));
        pos = p + 8;
    }

    /** An unsigned 16-bit count no larger than {@code max}. */
    private int count(int max) {
        need(2);
        int n = (short) SHORT.get(buf, pos) & 0xffff;
        pos += 2;
        if (n > max) {
            throw NOT_COMMON;
        }
        return n;
    }

    /** A string through the cache: the very string the cache's stream reader would return. */
    private String cached() {
        int len = length();
        if (len < 0) {
            return null;
        }
        String s = strings.read(buf, pos, len);
        if (s == null) {
            throw NOT_COMMON; // not ASCII: the plain reader decodes it
        }
        pos += len;
        return s;
    }

    private String uncached() {
        int len = length();
        if (len < 0) {
            return null;
        }
        if (!StringCache.ascii(buf, pos, len)) {
            throw NOT_COMMON;
        }
        String s = new String(buf, pos, len, StandardCharsets.ISO_8859_1);
        pos += len;
        return s;
    }

    /**
     * A string's stop-bit length, when it is below 128 (one byte), the bytes being there; -1 for
     * null (the two bytes Chronicle writes for a length of -1).
     */
    private int length() {
        need(1);
        int b = buf[pos];
        if (b >= 0) {
            pos++;
            need(b);
            return b;
        }
        if (b == (byte) 0x80 && pos + 1 < limit && buf[pos + 1] == 0) {
            pos += 2;
            return -1;
        }
        throw NOT_COMMON;
    }

    private void need(int bytes) {
        if (bytes > limit - pos) {
            throw NOT_COMMON;
        }
    }
}
