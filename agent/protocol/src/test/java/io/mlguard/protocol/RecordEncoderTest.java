package io.mlguard.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import java.util.function.Consumer;
import net.openhft.chronicle.bytes.Bytes;
import org.junit.jupiter.api.Test;

/**
 * The agent's array encoder against the reference, {@link InferenceRecord#writeTo}: the same bytes
 * for every record, whatever its strings (null, empty, at the stop-bit length's edges, non-ASCII,
 * surrogates, cut at {@link Records#MAX_STRING}), its numbers (NaN payloads, infinities, -0) and
 * its counts (up to every bound).
 */
class RecordEncoderTest {
    /** Characters at every edge of the UTF-8 encoding, surrogates alone and in pairs. */
    private static final char[] CHARS = {
        'a', 'Z', '0', '\u0000', '\u007f', '\u0080', '\u00e9', '\u00ff', '\u0100', '\u07ff',
        '\u0800', '\u4e2d', '\ud800', '\udbff', '\udc00', '\udfff', '\ue000', '\ufffd', '\uffff'
    };

    private static final double[] DOUBLES = {
        0.0,
        -0.0,
        1.5,
        -7.25e300,
        Double.NaN,
        Double.longBitsToDouble(0x7ff8_0000_dead_beefL), // a NaN with a payload
        Double.longBitsToDouble(0xfff0_0000_0000_0001L), // a signalling NaN, negative
        Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY,
        Double.MIN_VALUE,
    };

    private static final float[] FLOATS = {
        0f,
        -0f,
        Float.NaN,
        Float.intBitsToFloat(0x7fc0_1234), // a NaN with a payload
        Float.intBitsToFloat(0xff80_0001), // a signalling NaN, negative
        Float.POSITIVE_INFINITY,
        Float.NEGATIVE_INFINITY,
        Float.MIN_VALUE,
    };

    private static final String[] STRINGS = {
        null,
        "",
        "mnist",
        "4242@bench-host",
        "client-\u00e9",
        "\u65e5\u672c\u8a9e",
        "\ud83d\ude00 pair", // a surrogate pair: two units of three bytes each
        "\ud83d", // a high surrogate alone
        "lone \ude00 low",
        "\u0000nul",
        "z".repeat(127), // the longest length of one stop-bit byte
        "w".repeat(128), // two bytes of length
        "a".repeat(126) + "\u00e9", // 127 characters, 128 bytes: the length takes two bytes
        "a".repeat(127) + "\u00e9", // 128 characters, 129 bytes
        "a".repeat(125) + "\u00e9", // 126 characters, 127 bytes: still one
        "\u00e9".repeat(64), // 128 bytes from the first character
        "x".repeat(Records.MAX_STRING),
        "y".repeat(Records.MAX_STRING + 1), // cut
        "y".repeat(Records.MAX_STRING - 1) + "\ud83d\ude00", // cut between the surrogates
        "\u4e2d".repeat(Records.MAX_STRING + 10), // cut, 3 bytes each: 12288 bytes
        "\u00e9".repeat(5000),
    };

    @Test
    void randomRecordsEncodeToTheBytesWriteToWrites() {
        Random random = new Random(13);
        RecordEncoder encoder = new RecordEncoder(16); // grows, and keeps stale bytes past a record
        int grown = 0;
        for (int i = 0; i < 5_000; i++) {
            InferenceRecord r = random(random);
            byte[] before = encoder.buffer();
            assertSameBytes(r, encoder);
            grown += encoder.buffer() != before ? 1 : 0;
        }
        assertThat(grown).isBetween(1, 30); // doubling: a few times, then never
    }

    @Test
    void everyStringAndEveryCharacterEncodesAsChronicleDoes() {
        RecordEncoder encoder = new RecordEncoder(64);
        InferenceRecord r = new InferenceRecord();
        for (String s : STRINGS) {
            r.modelId = s;
            assertSameBytes(r, encoder);
        }
        for (char c : CHARS) {
            for (int at : new int[] {0, 1, 126, 127, 128, Records.MAX_STRING - 1}) {
                r.modelId = "q".repeat(at) + c + "tail";
                assertSameBytes(r, encoder);
            }
        }
        // every character there is, a few at a time
        StringBuilder s = new StringBuilder();
        for (int c = 0; c <= Character.MAX_VALUE; c++) {
            s.append((char) c);
            if (s.length() == 37 || c == Character.MAX_VALUE) {
                r.modelId = s.toString();
                assertSameBytes(r, encoder);
                s.setLength(0);
            }
        }
    }

    @Test
    void theLargestRecordEncodesAsWriteToWritesIt() {
        InferenceRecord r = random(new Random(3));
        String longest = "\u4e2d".repeat(Records.MAX_STRING + 1);
        r.agentId = r.runtime = r.modelId = r.errorType = r.clientId = longest;
        r.requestPath = r.traceId = r.spanId = longest;
        r.inputCount = r.outputCount = Records.MAX_TENSORS;
        for (TensorSummary[] ts : new TensorSummary[][] {r.inputs, r.outputs}) {
            for (TensorSummary t : ts) {
                t.name = longest;
                t.rank = Records.MAX_RANK;
                t.topK = Records.MAX_TOP_K;
            }
        }
        r.fingerprintLength = Records.MAX_FINGERPRINT;
        r.featureCount = Records.MAX_FEATURES;
        assertThat(assertSameBytes(r, new RecordEncoder(1024))).isGreaterThan(400_000);
    }

    @Test
    void aRecordWriteToRefusesIsRefused() {
        refusedByBoth(r -> r.inputCount = Records.MAX_TENSORS + 1);
        refusedByBoth(r -> r.outputCount = Records.MAX_TENSORS + 1);
        refusedByBoth(r -> r.inputs[0].rank = Records.MAX_RANK + 1);
        refusedByBoth(r -> r.outputs[0].topK = Records.MAX_TOP_K + 1);
        refusedByBoth(r -> r.fingerprintLength = Records.MAX_FINGERPRINT + 1);
        refusedByBoth(r -> r.featureCount = Records.MAX_FEATURES + 1);
        refusedByBoth(r -> r.fingerprintKind = 256);
        refusedByBoth(r -> r.fingerprintKind = -1);
    }

    private static void refusedByBoth(Consumer<InferenceRecord> breakIt) {
        InferenceRecord r = new InferenceRecord();
        r.inputCount = 1;
        r.outputCount = 1;
        breakIt.accept(r);
        assertThatThrownBy(() -> r.writeTo(Bytes.allocateElasticOnHeap()))
                .isInstanceOf(RuntimeException.class);
        assertThatThrownBy(() -> new RecordEncoder(64).encode(r))
                .isInstanceOf(RuntimeException.class);
    }

    /** Compares the two encodings of {@code r}; returns the length. */
    private static int assertSameBytes(InferenceRecord r, RecordEncoder encoder) {
        Bytes<?> b = Bytes.allocateElasticOnHeap();
        r.writeTo(b);
        byte[] expected = b.toByteArray();
        int n = encoder.encode(r);
        byte[] actual = Arrays.copyOf(encoder.buffer(), n);
        if (!Arrays.equals(actual, expected)) { // spelled out only then: thousands of cases
            assertThat(actual).as("%s", r).isEqualTo(expected);
        }
        return n;
    }

    static InferenceRecord random(Random random) {
        InferenceRecord r = new InferenceRecord();
        r.timestampMillis = random.nextLong();
        r.latencyNanos = random.nextLong();
        r.agentId = string(random);
        r.runtime = string(random);
        r.modelId = string(random);
        r.modelHashPrefix = random.nextLong();
        r.outcome = Outcome.values()[random.nextInt(Outcome.values().length)];
        r.errorType = string(random);
        r.clientIdSource = ClientIdSource.values()[random.nextInt(ClientIdSource.values().length)];
        r.clientId = string(random);
        r.requestPath = string(random);
        r.traceId = string(random);
        r.spanId = string(random);
        r.batchSize = random.nextLong();
        r.inputCount = count(random, Records.MAX_TENSORS);
        for (int i = 0; i < r.inputCount; i++) {
            tensor(random, r.inputs[i]);
        }
        r.outputCount = count(random, Records.MAX_TENSORS);
        for (int i = 0; i < r.outputCount; i++) {
            tensor(random, r.outputs[i]);
        }
        r.fingerprintKind = random.nextInt(256);
        r.fingerprintLength = count(random, Records.MAX_FINGERPRINT);
        random.nextBytes(r.fingerprint);
        r.featureCount = count(random, Records.MAX_FEATURES);
        for (int i = 0; i < r.featureCount; i++) {
            r.features[i] = floatNumber(random);
        }
        return r;
    }

    /** 0 to {@code max}, the bounds themselves often. */
    private static int count(Random random, int max) {
        switch (random.nextInt(6)) {
            case 0:
                return 0;
            case 1:
                return max;
            case 2:
                return random.nextInt(max + 1);
            default:
                return random.nextInt(4);
        }
    }

    private static void tensor(Random random, TensorSummary t) {
        t.name = string(random);
        t.dtype = DType.values()[random.nextInt(DType.values().length)];
        t.rank = count(random, Records.MAX_RANK);
        for (int i = 0; i < t.rank; i++) {
            t.shape[i] = random.nextInt(4) == 0 ? random.nextLong() : random.nextInt(1000) - 1;
        }
        t.count = random.nextLong();
        t.sampled = random.nextLong();
        t.min = number(random);
        t.max = number(random);
        t.mean = number(random);
        t.std = number(random);
        t.nanCount = random.nextLong();
        t.infCount = random.nextLong();
        t.zeroFraction = floatNumber(random);
        t.l2Norm = number(random);
        t.topK = count(random, Records.MAX_TOP_K);
        for (int i = 0; i < t.topK; i++) {
            t.topClasses[i] = random.nextInt();
            t.topScores[i] = floatNumber(random);
        }
        t.margin = floatNumber(random);
        t.entropy = floatNumber(random);
    }

    private static double number(Random random) {
        switch (random.nextInt(3)) {
            case 0:
                return DOUBLES[random.nextInt(DOUBLES.length)];
            case 1:
                return Double.longBitsToDouble(random.nextLong()); // any bits, NaNs included
            default:
                return random.nextGaussian() * 1e3;
        }
    }

    private static float floatNumber(Random random) {
        switch (random.nextInt(3)) {
            case 0:
                return FLOATS[random.nextInt(FLOATS.length)];
            case 1:
                return Float.intBitsToFloat(random.nextInt());
            default:
                return (float) random.nextGaussian();
        }
    }

    /** A listed string, or random characters from the edges of the encoding. */
    private static String string(Random random) {
        if (random.nextBoolean()) {
            return STRINGS[random.nextInt(STRINGS.length)];
        }
        int n = random.nextInt(8) == 0 ? random.nextInt(300) : random.nextInt(20);
        StringBuilder s = new StringBuilder(n);
        boolean ascii = random.nextBoolean();
        for (int i = 0; i < n; i++) {
            s.append(
                    ascii
                            ? (char) (' ' + random.nextInt(95))
                            : CHARS[random.nextInt(CHARS.length)]);
        }
        return s.toString();
    }
}
