package io.mlguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole slice in real processes: the demo server with the agent, the collector as a sidecar on
 * the same queue, and the traffic generator playing benign clients, a NaN client and a model swap
 * over HTTP. Exactly the expected incidents appear, with evidence that matches the model files, and
 * the collector reads every record in the queue once.
 */
class CollectorEndToEndIT {
    private static final int REQUESTS = 30;

    @TempDir Path work;

    @Test
    void benignNanAndSwapTrafficBecomeExactlyTheExpectedIncidents() throws Exception {
        Path jdk = Artifacts.jdks().get(0);
        Path models = work.resolve("models");
        Path queue = work.resolve("queue");
        Path report = work.resolve("report");
        DemoModels.train(models, 2, work.resolve("train.log"));
        Path modelFile = models.resolve("mnist/1/model.onnx");
        String originalSha = sha256(modelFile);

        try (CollectorProcess collector =
                        CollectorProcess.start(
                                jdk,
                                queue,
                                work.resolve("collector.log"),
                                "--report-dir",
                                report.toString());
                DemoServer server =
                        DemoServer.start(
                                jdk, models, "queue=" + queue, work.resolve("server.log"))) {
            server.playTraffic(
                    jdk,
                    models,
                    work.resolve("traffic.log"),
                    "--scenario",
                    "all",
                    "--requests",
                    String.valueOf(REQUESTS));
            String swappedSha = sha256(modelFile);
            assertThat(swappedSha)
                    .as("the generator swapped the model file")
                    .isNotEqualTo(originalSha);

            JsonNode incidents = collector.awaitIncidents("invalid_input", "model_substitution");
            assertThat(incidents).as(incidents.toString()).hasSize(2);

            JsonNode invalid = ofType(incidents, "invalid_input");
            assertThat(invalid.get("model").asText()).isEqualTo("mnist");
            assertThat(texts(invalid.get("clients"))).containsExactly("nan-client");
            assertThat(invalid.get("severity").asText()).isEqualTo("high");
            assertThat(invalid.get("count").asLong()).isEqualTo(REQUESTS);
            assertThat(invalid.get("evidence").get("nanCount").asLong()).isPositive();
            assertThat(invalid.get("explanation").get("summary").asText()).contains("NaN");

            JsonNode swap = ofType(incidents, "model_substitution");
            assertThat(swap.get("model").asText()).isEqualTo("mnist");
            assertThat(swap.get("severity").asText()).isEqualTo("critical");
            assertThat(swap.get("evidence").get("expectedSha256").asText()).isEqualTo(originalSha);
            assertThat(swap.get("evidence").get("observedHashPrefix").asText())
                    .isEqualTo(swappedSha.substring(0, 16));
            assertThat(swap.get("firstSeen").asLong())
                    .isGreaterThanOrEqualTo(invalid.get("firstSeen").asLong());

            // every record in the queue read once, none malformed
            QueueContents q = QueueContents.read(queue);
            long records = q.inferences.size() + q.modelLoads.size();
            // mnist at start and after the swap; the demo also serves credit, loaded once
            assertThat(q.modelLoads).filteredOn(m -> m.modelId.equals("mnist")).hasSize(2);
            assertThat(q.modelLoads).filteredOn(m -> m.modelId.equals("credit")).hasSize(1);
            JsonNode health = collector.awaitHealth(records);
            assertThat(health.get("malformedRecords").asLong()).isZero();
            assertThat(health.get("inferenceRecords").asLong()).isEqualTo(q.inferences.size());
            assertThat(health.get("detectorErrors").asLong()).isZero();

            assertThat(server.jvm.output())
                    .doesNotContain("internal error")
                    .doesNotContain("cannot write");
            Path index = report.resolve("index.html");
            awaitFile(index, "model_substitution");
            assertThat(Files.readString(index)).contains("invalid_input").contains("nan-client");
        }
    }

    private static void awaitFile(Path file, String content) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(file) && Files.readString(file).contains(content)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(file + " never contained " + content);
    }

    private static JsonNode ofType(JsonNode incidents, String type) {
        for (JsonNode i : incidents) {
            if (type.equals(i.get("type").asText())) {
                return i;
            }
        }
        throw new AssertionError("no " + type + " in " + incidents);
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
