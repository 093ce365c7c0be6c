package io.mlguard.collector.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlguard.collector.TestTraffic;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExtractionStateTest {
    private static List<String> feed(ExtractionDetector d, List<byte[]> theft, int from, int to) {
        List<String> signals = new ArrayList<>();
        List<byte[]> benign = QueryStreams.independent(1000, 8);
        for (int q = from; q < to; q++) {
            long t = 1_700_000_000_000L + q * 100L;
            int index = q;
            d.onInference(
                    TestTraffic.withFingerprint("m", "thief", t, theft.get(q)),
                    2L * q,
                    s -> signals.add(index + " " + s));
            d.onInference(
                    TestTraffic.withFingerprint("m", "u" + (q % 7), t + 1, benign.get(q)),
                    2L * q + 1,
                    s -> signals.add(index + " " + s));
        }
        return signals;
    }

    @Test
    void aRestoredDetectorGoesOnExactlyAsTheOriginal() {
        List<byte[]> theft = ExtractionDetectorTest.seedsThenChildren(200, 16, 3);
        List<String> whole = feed(new ExtractionDetector(), theft, 0, 1000);
        assertThat(whole).anyMatch(s -> s.contains("non_normal_query_distances"));
        for (int n : new int[] {150, 333, 780}) {
            ExtractionDetector original = new ExtractionDetector();
            feed(original, theft, 0, n);
            String saved = original.saveState();
            ExtractionDetector restored = new ExtractionDetector();
            restored.restoreState(saved);
            assertThat(restored.saveState()).isEqualTo(saved);
            assertThat(feed(restored, theft, n, 1000))
                    .as("resumed after %d", n)
                    .isEqualTo(feed(original, theft, n, 1000));
            assertThat(restored.saveState()).isEqualTo(original.saveState());
        }
    }

    private static String versionOne(String history) {
        return "{\"clientEvictions\":7,\"clients\":[{\"key\":\"m\\u0000old\",\"filled\":3,"
                + "\"next\":3,\"added\":3,\"queries\":4,\"firstMillis\":1000,\"classesSeen\":5,"
                + "\"quietUntil\":0,\"distances\":[10.0,20.0,30.5],\"history\":"
                + history
                + "}]}";
    }

    private static int distancesOf(ExtractionDetector d) {
        JsonNode c = DetectorStateJson.parse(d.saveState()).path("clients").get(0);
        return Base64.getDecoder().decode(c.path("distances").asText()).length / 4;
    }

    @Test
    void theFirstFormatIsStillRead() {
        List<byte[]> digits = QueryStreams.independent(6, 9);
        ByteBuffer data = ByteBuffer.allocate(4 * 69);
        for (int i = 0; i < 4; i++) {
            data.put((byte) 64).put(digits.get(i)).putInt(0);
        }
        String ring =
                "{\"next\":4,\"size\":4,\"data\":\""
                        + Base64.getEncoder().encodeToString(data.array())
                        + "\"}";
        StringBuilder slots = new StringBuilder("{\"next\":4,\"slots\":[");
        for (int i = 0; i < 4; i++) {
            slots.append(i == 0 ? "" : ",")
                    .append("[\"")
                    .append(Base64.getEncoder().encodeToString(digits.get(i)))
                    .append("\",1,0]");
        }
        slots.append("]}");
        for (String history : new String[] {ring, slots.toString()}) {
            ExtractionDetector d = new ExtractionDetector();
            d.restoreState(versionOne(history));
            assertThat(d.clientEvictions()).isEqualTo(7);
            assertThat(d.trackedClients()).isEqualTo(1);
            JsonNode c = DetectorStateJson.parse(d.saveState());
            assertThat(c.path("v").asInt()).isEqualTo(2);
            assertThat(c.path("clients").get(0).path("queries").asLong()).isEqualTo(4);
            assertThat(c.path("clients").get(0).path("classesSeen").asLong()).isEqualTo(5);
            ByteBuffer window =
                    ByteBuffer.wrap(
                            Base64.getDecoder()
                                    .decode(c.path("clients").get(0).path("distances").asText()));
            assertThat(window.getFloat()).isEqualTo(10f);
            assertThat(window.getFloat()).isEqualTo(20f);
            assertThat(window.getFloat()).isEqualTo(30.5f);
            // the old ring's queries are the client's recent ones: a retry adds no distance
            d.onInference(TestTraffic.withFingerprint("m", "old", 2000, digits.get(2)), 9, s -> {});
            assertThat(distancesOf(d)).isEqualTo(3);
            // two new queries: the first opens its class, the second has a predecessor
            d.onInference(
                    TestTraffic.withFingerprint("m", "old", 2001, digits.get(4)), 10, s -> {});
            d.onInference(
                    TestTraffic.withFingerprint("m", "old", 2002, digits.get(5)), 11, s -> {});
            assertThat(distancesOf(d)).isEqualTo(4);
        }
    }

    @Test
    void unreadableStatesAreRefusedAndLeaveTheDetectorAsItWas() {
        ExtractionDetector d = new ExtractionDetector();
        feed(d, ExtractionDetectorTest.seedsThenChildren(200, 16, 3), 0, 50);
        String before = d.saveState();
        String good = before;
        for (String bad :
                new String[] {
                    "[]",
                    "{not json",
                    good.replaceFirst("\"length\":64", "\"length\":65"),
                    good.replaceFirst("\"distances\":\"", "\"distances\":\"AAA"),
                    good.replaceFirst("\"partition\":15", "\"partition\":16"),
                    good.replaceFirst("\"cells\":\"", "\"cells\":\"AAAA"),
                    versionOne("{\"next\":4,\"size\":200,\"data\":\"\"}"),
                    versionOne("{\"next\":1,\"size\":1,\"data\":\"QAAA\"}")
                }) {
            assertThat(bad).isNotEqualTo(good);
            assertThatThrownBy(() -> d.restoreState(bad))
                    .as(bad.length() > 80 ? bad.substring(0, 80) : bad)
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(d.saveState()).isEqualTo(before);
        }
    }
}
