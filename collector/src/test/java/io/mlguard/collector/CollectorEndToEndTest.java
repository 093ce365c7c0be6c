package io.mlguard.collector;

import static io.mlguard.collector.TestRecords.T0;
import static io.mlguard.collector.TestRecords.inference;
import static io.mlguard.collector.TestRecords.load;
import static io.mlguard.collector.TestRecords.nanInference;
import static io.mlguard.collector.TestRecords.sha;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlguard.collector.api.IncidentJson;
import io.mlguard.collector.config.CollectorConfig;
import io.mlguard.protocol.InferenceRecord;
import io.mlguard.protocol.ModelLoadRecord;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real queue written as the agent writes it, a real collector, real HTTP. */
class CollectorEndToEndTest {
    private static final String XSS = "<script>alert(1)</script>";

    @TempDir Path tmp;

    private final HttpClient http = HttpClient.newHttpClient();

    private JsonNode get(Collector c, String path) throws Exception {
        HttpResponse<String> r =
                http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + c.port() + path))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path).isEqualTo(200);
        return IncidentJson.MAPPER.readTree(r.body());
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    private CollectorConfig config(Path queue) {
        return CollectorConfig.of(queue, 0).withReferenceWindow(5);
    }

    @Test
    void malformedRecordsAreCountedAndSkippedAndIncidentsAppear() throws Exception {
        Path queue = tmp.resolve("queue");
        int written = 0;
        try (QueueFixture q = new QueueFixture(queue)) {
            q.write(load("mnist", sha('a'), T0));
            written++;
            for (int i = 0; i < 5; i++) {
                q.write(inference("mnist", "good", T0 + i, 0, 1));
                written++;
            }
            q.writeUnknownVersion();
            q.writeTruncated(inference("mnist", "good", T0, 0, 1), 40);
            written += 2;
            // everything after the bad records must still be processed
            q.write(nanInference("mnist", XSS, T0 + 100));
            q.write(nanInference("mnist", XSS, T0 + 200));
            q.write(inference("mnist", "scanner", T0 + 300, -50, 1));
            q.write(load("mnist", sha('b'), T0 + 400));
            InferenceRecord afterSwap = inference("mnist", "good", T0 + 500, 0, 1);
            afterSwap.modelHashPrefix = ModelLoadRecord.hashPrefix(sha('b'));
            q.write(afterSwap);
            written += 5;
        }
        Path reports = tmp.resolve("reports");
        final int total = written;
        try (Collector c = Collector.start(config(queue).withReportDir(reports))) {
            await("all records", () -> c.stats().recordsRead() == total);

            JsonNode health = get(c, "/healthz");
            assertThat(health.get("status").asText()).isEqualTo("ok");
            assertThat(health.get("recordsRead").asLong()).isEqualTo(total);
            assertThat(health.get("malformedRecords").asLong()).isEqualTo(2);
            assertThat(health.get("malformedByReason").get("unsupported_version").asLong())
                    .isEqualTo(1);
            assertThat(health.get("malformedByReason").get("truncated").asLong()).isEqualTo(1);
            assertThat(health.get("modelLoadRecords").asLong()).isEqualTo(2);
            assertThat(health.get("inferenceRecords").asLong()).isEqualTo(total - 4);
            assertThat(health.get("lastRecordTimestamp").asLong()).isEqualTo(T0 + 500);
            assertThat(health.get("incidents").asInt()).isEqualTo(3);

            JsonNode nan = get(c, "/api/incidents?severity=high");
            assertThat(nan).hasSize(1);
            assertThat(nan.get(0).get("clients").get(0).asText()).isEqualTo(XSS);
            assertThat(nan.get(0).get("count").asLong()).isEqualTo(2);
            assertThat(nan.get(0).get("firstSeen").asLong()).isEqualTo(T0 + 100);
            assertThat(nan.get(0).get("lastSeen").asLong()).isEqualTo(T0 + 200);

            JsonNode range = get(c, "/api/incidents?client=scanner");
            assertThat(range)
                    .singleElement()
                    .satisfies(
                            n -> {
                                assertThat(n.get("severity").asText()).isEqualTo("medium");
                                assertThat(n.get("evidence").get("observedMin").asDouble())
                                        .isEqualTo(-50.0);
                            });

            JsonNode swap = get(c, "/api/incidents?type=model_substitution");
            assertThat(swap).hasSize(1);
            JsonNode s = swap.get(0);
            assertThat(s.get("severity").asText()).isEqualTo("critical");
            assertThat(s.get("count").asLong()).isEqualTo(2); // the load and the inference
            assertThat(s.get("evidence").get("expectedHashPrefix").asText())
                    .isEqualTo("aaaaaaaaaaaaaaaa");
            assertThat(s.get("evidence").get("observedHashPrefix").asText())
                    .isEqualTo("bbbbbbbbbbbbbbbb");
            assertThat(s.get("evidence").get("sizeBytes").asLong()).isEqualTo(409_600);

            String id = s.get("id").asText();
            assertThat(get(c, "/api/incidents/" + id).get("type").asText())
                    .isEqualTo("model_substitution");

            await(
                    "the report",
                    () -> {
                        try {
                            return Files.readString(reports.resolve("index.html"))
                                    .contains("model_substitution");
                        } catch (java.io.IOException e) {
                            return false;
                        }
                    });
        }
        String html = Files.readString(reports.resolve("index.html"));
        assertThat(html).contains("&lt;script&gt;alert(1)&lt;/script&gt;").doesNotContain(XSS);
        assertThat(reports.resolve("incidents.json")).exists();
        assertThat(reports.resolve("incidents.md")).exists();
    }

    @Test
    void aRestartResumesWhereItStoppedAndReadsEveryRecordOnce() throws Exception {
        Path queue = tmp.resolve("queue");
        int firstHalf = 500;
        try (QueueFixture q = new QueueFixture(queue)) {
            for (int i = 0; i < firstHalf; i++) {
                q.write(inference("m", "c" + (i % 7), T0 + i, 0, 1));
            }
        }
        long firstRun;
        try (Collector c = Collector.start(config(queue))) {
            await("first half", () -> c.stats().recordsRead() == firstHalf);
            firstRun = c.stats().recordsRead();
        }

        try (QueueFixture q = new QueueFixture(queue)) {
            for (int i = 0; i < 300; i++) {
                q.write(nanInference("m", "late", T0 + firstHalf + i));
            }
        }
        try (Collector c = Collector.start(config(queue))) {
            // The counters survive the restart: they count every record of the queue once.
            assertThat(c.stats().recordsRead()).isGreaterThanOrEqualTo(firstRun);
            await("second half", () -> c.stats().recordsRead() == firstHalf + 300);
            Thread.sleep(300); // nothing more may trickle in
            assertThat(c.stats().recordsRead()).isEqualTo(firstHalf + 300);
            // Only the new records were analysed: one incident, for the late client.
            assertThat(get(c, "/api/incidents"))
                    .singleElement()
                    .satisfies(n -> assertThat(n.get("count").asLong()).isEqualTo(300));
        }
    }

    @Test
    void stoppingAtAnArbitraryPointLosesAndRepeatsNothing() throws Exception {
        Path queue = tmp.resolve("queue");
        int total = 3_000;
        try (QueueFixture q = new QueueFixture(queue)) {
            for (int i = 0; i < total; i++) {
                q.write(
                        i % 10 == 0
                                ? nanInference("m", "c", T0 + i)
                                : inference("m", "c", T0 + i, 0, 1));
            }
        }
        long read = 0;
        int runs = 0;
        while (read < total && runs < 200) {
            Collector c = Collector.start(config(queue));
            try {
                // restored from the store (ingest has started already: it may be further on)
                long before = c.stats().recordsRead();
                assertThat(before).isGreaterThanOrEqualTo(read);
                // stop as soon as something more was read: most runs stop mid-stream. A run
                // that had read everything before `before` was taken has nothing more to read.
                long deadline =
                        System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
                while (c.stats().recordsRead() == before && before < total) {
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError("no progress past record " + before + " in 60 s");
                    }
                    Thread.onSpinWait();
                }
            } finally {
                c.close();
            }
            read = c.stats().recordsRead(); // final once close() has returned
            runs++;
        }
        assertThat(runs).isGreaterThan(1);
        assertThat(read).isEqualTo(total);
        try (Collector c = Collector.start(config(queue))) {
            Thread.sleep(500);
            assertThat(c.stats().recordsRead()).isEqualTo(total);
            // every tenth record was a signal of one group: one incident, each counted once
            assertThat(c.incidents().list())
                    .singleElement()
                    .satisfies(
                            i -> {
                                assertThat(i.count()).isEqualTo(total / 10);
                                assertThat(i.lastSeen()).isEqualTo(T0 + total - 10);
                            });
        }
    }

    @Test
    void waitsForAQueueThatDoesNotExistYet() throws Exception {
        Path queue = tmp.resolve("later");
        try (Collector c = Collector.start(config(queue))) {
            Thread.sleep(300);
            assertThat(get(c, "/healthz").get("status").asText()).isEqualTo("waiting_for_queue");
            try (QueueFixture q = new QueueFixture(queue)) {
                q.write(nanInference("m", "c", T0));
                await("the record", () -> c.stats().recordsRead() == 1);
                q.write(nanInference("m", "c", T0 + 1));
                await("the live record", () -> c.stats().recordsRead() == 2);
            }
            assertThat(get(c, "/healthz").get("status").asText()).isEqualTo("ok");
            assertThat(get(c, "/api/incidents").get(0).get("count").asLong()).isEqualTo(2);
        }
    }
}
