package io.mlguard.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.openhft.chronicle.bytes.Bytes;
import org.junit.jupiter.api.Test;

class StringCacheTest {
    private static final String[] STRINGS = {
        "mnist",
        "",
        null,
        "client-ä",
        "client-é", // same length in characters as the previous one, other bytes
        "日本語モデル",
        "emoji \uD83D\uDE00 id",
        "x".repeat(StringCache.MAX_BYTES), // the longest kept
        "x".repeat(StringCache.MAX_BYTES + 1), // one byte too long: never kept
        "ä".repeat(StringCache.MAX_BYTES / 2 + 1), // 33 characters, 66 bytes
        "mnist2",
        "mnis",
    };

    @Test
    void readsWhatThePlainReaderReadsAndEndsAtTheSamePlace() {
        Random random = new Random(3);
        List<String> written = new ArrayList<>();
        Bytes<?> b = Bytes.allocateElasticOnHeap();
        for (int i = 0; i < 5_000; i++) {
            // mostly repeats, some of 3,000 distinct client-like ids: hits, misses and evictions
            String s =
                    random.nextInt(3) == 0
                            ? String.format("%016x", random.nextInt(3_000))
                            : STRINGS[random.nextInt(STRINGS.length)];
            written.add(s);
            Records.writeString(b, s);
            b.writeInt(i); // a field after each string: positions must line up
        }
        StringCache cache = new StringCache();
        long start = b.readPosition();
        for (int i = 0; i < written.size(); i++) {
            assertThat(cache.read(b, "s")).isEqualTo(written.get(i));
            assertThat(b.readInt()).isEqualTo(i);
        }
        b.readPosition(start);
        for (int i = 0; i < written.size(); i++) {
            assertThat(Records.readString(b, "s")).isEqualTo(written.get(i));
            assertThat(b.readInt()).isEqualTo(i);
        }
        assertThat(cache.hits()).isGreaterThan(written.size() / 2);
    }

    @Test
    void everyAsciiCharacterAndTheFirstNonAsciiOnesReadAsThePlainReaderReadsThem() {
        List<String> written = new ArrayList<>();
        for (int c = 0; c < 0x100; c++) {
            written.add("id-" + (char) c + "-" + c); // misses: each string is new
        }
        Bytes<?> b = Bytes.allocateElasticOnHeap();
        written.forEach(s -> Records.writeString(b, s));
        StringCache cache = new StringCache();
        for (String s : written) {
            assertThat(cache.read(b, "s")).isEqualTo(s);
        }
        assertThat(b.readRemaining()).isZero();
        assertThat(cache.hits()).isZero();
    }

    @Test
    void aTruncatedStringFailsAsWithoutTheCache() {
        Bytes<?> b = Bytes.allocateElasticOnHeap();
        Records.writeString(b, "a-client-id");
        byte[] all = b.toByteArray();
        byte[] cut = java.util.Arrays.copyOf(all, all.length - 3);
        Throwable plain = catchThrowable(() -> Records.readString(Bytes.wrapForRead(cut), "s"));
        Throwable cached =
                catchThrowable(() -> new StringCache().read(Bytes.wrapForRead(cut), "s"));
        assertThat(plain).isNotNull();
        assertThat(cached).isNotNull().hasSameClassAs(plain);
    }

    @Test
    void aReusedRecordDecodesLikeAFreshOne() {
        InferenceRecord reuse = new InferenceRecord();
        for (int i = 0; i < 3; i++) {
            Bytes<?> b = Bytes.allocateElasticOnHeap();
            InferenceRecord r = RecordsTest.sampleInference();
            r.clientId = "client-" + (i % 2);
            r.writeTo(b);
            long start = b.readPosition();
            InferenceRecord fresh = (InferenceRecord) Records.read(b);
            b.readPosition(start);
            InferenceRecord cached = (InferenceRecord) Records.read(b, reuse);
            assertThat(cached.toString()).isEqualTo(fresh.toString());
            assertThat(cached.clientId).isEqualTo("client-" + (i % 2));
            assertThat(cached.inputs[0].name).isEqualTo(fresh.inputs[0].name).isEqualTo("input");
        }
        assertThat(reuse.strings.hits()).isGreaterThan(0);
    }
}
