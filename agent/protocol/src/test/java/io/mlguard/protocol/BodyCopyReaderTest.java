package io.mlguard.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import net.openhft.chronicle.bytes.Bytes;
import org.junit.jupiter.api.Test;

/**
 * The copy reader against the stream reader it sits in front of (a reused record decoded through
 * the string cache, as before the copy reader): every record, broken or not, decodes to the same
 * fields (numbers compared bit for bit) and ends at the same position, or fails with the same
 * exception and message.
 */
class BodyCopyReaderTest {
    private static final String[] STRINGS = {
        null,
        "",
        "mnist",
        "4242@bench",
        "0123456789abcdef",
        "client-ä",
        "日本語",
        "x".repeat(StringCache.MAX_BYTES),
        "y".repeat(StringCache.MAX_BYTES + 1),
        "z".repeat(127), // the longest length of one stop-bit byte
        "w".repeat(128), // two bytes of length: the plain reader's
        "v".repeat(300),
    };

    private static final double[] DOUBLES = {
        0.0,
        -0.0,
        1.5,
        -7.25e300,
        Double.NaN,
        Double.longBitsToDouble(0x7ff8_0000_dead_beefL), // a NaN with a payload
        Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY,
        Double.MIN_VALUE,
    };

    @Test
    void randomRecordsDecodeAsThePlainReaderDecodesThem() {
        Random random = new Random(11);
        InferenceRecord reuse = new InferenceRecord();
        int common = 0;
        for (int i = 0; i < 3_000; i++) {
            InferenceRecord r = random(random);
            Bytes<?> b = Bytes.allocateElasticOnHeap();
            r.writeTo(b);
            b.writeLong(0x5eed_0000_0000_0000L + i); // something after the body is left unread
            assertSameAsPlain(b.toByteArray(), reuse);
            common += commonShape(r) ? 1 : 0;
        }
        // the common shape is decoded from the copy (and some more: a non-ASCII string the
        // stream reader put in the cache is a hit), everything else the plain way
        assertThat(common).isGreaterThan(500);
        assertThat(reuse.copyReader.decoded()).isGreaterThanOrEqualTo(common).isLessThan(3_000);
    }

    @Test
    void everyTruncationAndEveryCorruptByteFailsOrDecodesAsWithThePlainReader() {
        Random random = new Random(5);
        InferenceRecord reuse = new InferenceRecord();
        for (int k = 0; k < 20; k++) {
            InferenceRecord r = random(random);
            if (k % 2 == 0) {
                r = RecordsTest.sampleInference();
                r.clientId = "client-" + k;
            }
            Bytes<?> b = Bytes.allocateElasticOnHeap();
            r.writeTo(b);
            byte[] all = b.toByteArray();
            for (int cut = 0; cut <= all.length; cut++) {
                assertSameAsPlain(Arrays.copyOf(all, cut), reuse);
            }
            for (int at = 4; at < all.length; at++) {
                for (int v : new int[] {0x00, 0x01, 0x7f, 0x80, 0xff, all[at] ^ 0x40}) {
                    byte[] corrupt = all.clone();
                    corrupt[at] = (byte) v;
                    assertSameAsPlain(corrupt, reuse);
                }
            }
        }
    }

    @Test
    void nullIsTheTwoBytesChronicleWritesForIt() {
        Bytes<?> b = Bytes.allocateElasticOnHeap();
        b.writeUtf8((String) null);
        assertThat(b.toByteArray()).containsExactly(0x80, 0x00);
    }

    /** Whether the copy reader takes the record: short ASCII strings, a body that fits. */
    private static boolean commonShape(InferenceRecord r) {
        String[] s = {r.agentId, r.runtime, r.modelId, r.errorType, r.clientId, r.requestPath};
        for (String x : s) {
            if (!commonString(x)) {
                return false;
            }
        }
        if (!commonString(r.traceId) || !commonString(r.spanId)) {
            return false;
        }
        for (int i = 0; i < r.inputCount; i++) {
            if (!commonString(r.inputs[i].name)) {
                return false;
            }
        }
        for (int i = 0; i < r.outputCount; i++) {
            if (!commonString(r.outputs[i].name)) {
                return false;
            }
        }
        Bytes<?> b = Bytes.allocateElasticOnHeap();
        r.writeTo(b);
        return b.readRemaining() - 4 <= BodyCopyReader.MAX_BODY;
    }

    private static boolean commonString(String s) {
        return s == null || (s.length() < 128 && s.chars().allMatch(c -> c < 128));
    }

    private static void assertSameAsPlain(byte[] bytes, InferenceRecord reuse) {
        Bytes<?> plainIn = Bytes.wrapForRead(bytes);
        Bytes<?> copyIn = Bytes.wrapForRead(bytes.clone());
        InferenceRecord streamed = new InferenceRecord();
        streamed.strings = new StringCache(); // and no copy reader: the reader before it
        String plain;
        try {
            plain = describe(Records.read(plainIn, streamed));
            assertThat(streamed.copyReader).isNull();
        } catch (RuntimeException e) {
            plain = e.getClass().getName() + ": " + e.getMessage();
        }
        String copy;
        try {
            copy = describe(Records.read(copyIn, reuse));
        } catch (RuntimeException e) {
            copy = e.getClass().getName() + ": " + e.getMessage();
        }
        if (!copy.equals(plain)) { // the bytes spelled out only then: thousands of cases
            assertThat(copy).as("bytes %s", Arrays.toString(bytes)).isEqualTo(plain);
        }
        assertThat(copyIn.readPosition()).isEqualTo(plainIn.readPosition());
    }

    private static String describe(Object o) {
        if (!(o instanceof InferenceRecord)) {
            return String.valueOf(o);
        }
        InferenceRecord r = (InferenceRecord) o;
        StringBuilder s = new StringBuilder();
        s.append(r.timestampMillis).append('|').append(r.latencyNanos).append('|');
        s.append(r.agentId).append('|').append(r.runtime).append('|').append(r.modelId);
        s.append('|').append(r.modelHashPrefix).append('|').append(r.outcome).append('|');
        s.append(r.errorType).append('|').append(r.clientIdSource).append('|');
        s.append(r.clientId).append('|').append(r.requestPath).append('|').append(r.traceId);
        s.append('|').append(r.spanId).append('|').append(r.batchSize).append("|in:");
        for (int i = 0; i < r.inputCount; i++) {
            tensor(s, r.inputs[i]);
        }
        s.append("|out:");
        for (int i = 0; i < r.outputCount; i++) {
            tensor(s, r.outputs[i]);
        }
        s.append('|').append(r.fingerprintKind).append('|');
        s.append(Arrays.toString(r.fingerprint()));
        s.append('|');
        for (int i = 0; i < r.featureCount; i++) {
            s.append(Float.floatToRawIntBits(r.features[i])).append(',');
        }
        return s.toString();
    }

    private static void tensor(StringBuilder s, TensorSummary t) {
        s.append('[').append(t.name).append('|').append(t.dtype).append('|');
        s.append(Arrays.toString(t.shape())).append('|').append(t.count).append('|');
        s.append(t.sampled);
        for (double d : new double[] {t.min, t.max, t.mean, t.std, t.l2Norm}) {
            s.append('|').append(Double.doubleToRawLongBits(d));
        }
        s.append('|').append(t.nanCount).append('|').append(t.infCount).append('|');
        s.append(Float.floatToRawIntBits(t.zeroFraction)).append('|').append(t.topK);
        for (int i = 0; i < t.topK; i++) {
            s.append('|').append(t.topClasses[i]).append(':');
            s.append(Float.floatToRawIntBits(t.topScores[i]));
        }
        s.append('|').append(Float.floatToRawIntBits(t.margin));
        s.append('|').append(Float.floatToRawIntBits(t.entropy)).append(']');
    }

    private static InferenceRecord random(Random random) {
        InferenceRecord r = new InferenceRecord();
        boolean plain = random.nextInt(3) > 0; // mostly the common shape
        r.timestampMillis = random.nextLong();
        r.latencyNanos = random.nextLong();
        r.agentId = string(random, plain);
        r.runtime = string(random, plain);
        r.modelId = string(random, plain);
        r.modelHashPrefix = random.nextLong();
        r.outcome = Outcome.values()[random.nextInt(Outcome.values().length)];
        r.errorType = string(random, plain);
        r.clientIdSource = ClientIdSource.values()[random.nextInt(ClientIdSource.values().length)];
        r.clientId =
                random.nextBoolean()
                        ? String.format("%016x", random.nextInt(50))
                        : string(random, plain);
        r.requestPath = string(random, plain);
        r.traceId = random.nextBoolean() ? null : Long.toHexString(random.nextLong());
        r.spanId = random.nextBoolean() ? null : string(random, plain);
        r.batchSize = random.nextInt(3) == 0 ? random.nextLong() : 1;
        r.inputCount = random.nextInt(4);
        for (int i = 0; i < r.inputCount; i++) {
            tensor(random, r.inputs[i], plain);
        }
        r.outputCount = random.nextInt(3);
        for (int i = 0; i < r.outputCount; i++) {
            tensor(random, r.outputs[i], plain);
        }
        r.fingerprintKind = random.nextInt(4);
        r.fingerprintLength = random.nextInt(3) == 0 ? random.nextInt(257) : 64;
        random.nextBytes(r.fingerprint);
        r.featureCount = random.nextInt(3) == 0 ? random.nextInt(257) : random.nextInt(21);
        for (int i = 0; i < r.featureCount; i++) {
            r.features[i] =
                    random.nextInt(10) == 0
                            ? Float.intBitsToFloat(random.nextInt())
                            : (float) random.nextGaussian();
        }
        return r;
    }

    private static void tensor(Random random, TensorSummary t, boolean plain) {
        t.name = random.nextBoolean() ? "input" : string(random, plain);
        t.dtype = DType.values()[random.nextInt(DType.values().length)];
        t.rank = random.nextInt(Records.MAX_RANK + 1);
        for (int i = 0; i < t.rank; i++) {
            t.shape[i] = random.nextInt(1000) - 1;
        }
        t.count = random.nextLong();
        t.sampled = random.nextLong();
        t.min = number(random);
        t.max = number(random);
        t.mean = number(random);
        t.std = number(random);
        t.nanCount = random.nextLong();
        t.infCount = random.nextLong();
        t.zeroFraction = (float) number(random);
        t.l2Norm = number(random);
        t.topK = random.nextInt(Records.MAX_TOP_K + 1);
        for (int i = 0; i < t.topK; i++) {
            t.topClasses[i] = random.nextInt();
            t.topScores[i] = (float) number(random);
        }
        t.margin = (float) number(random);
        t.entropy = (float) number(random);
    }

    private static double number(Random random) {
        return random.nextBoolean()
                ? DOUBLES[random.nextInt(DOUBLES.length)]
                : random.nextGaussian() * 1e3;
    }

    private static String string(Random random, boolean plain) {
        String s = STRINGS[random.nextInt(STRINGS.length)];
        if (plain && s != null && (s.length() >= 128 || !s.chars().allMatch(c -> c < 128))) {
            return "short-" + random.nextInt(10);
        }
        return s;
    }
}
