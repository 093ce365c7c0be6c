package io.mlguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The false-positive check of every detector on real traffic: five benign clients each send 150
 * held-out MNIST digits through the demo server with the agent, and the collector — with a profile
 * window small enough that drift and operational checks are live, and more than 100 queries per
 * client so the extraction test runs — raises no incident at all.
 */
class BenignTrafficRaisesNothingIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int REQUESTS = 150;

    @TempDir Path work;
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void benignClientsRaiseNoIncident() throws Exception {
        Path jdk = Artifacts.jdks().get(0);
        Path models = work.resolve("models");
        Path queue = work.resolve("queue");
        run(
                jdk,
                "train.log",
                "-jar",
                Artifacts.demoJar().toString(),
                "train",
                "--models",
                models.toString(),
                "--epochs",
                "2");
        try (ForkedJvm collector =
                        ForkedJvm.start(
                                List.of(
                                        Artifacts.java(jdk),
                                        "-jar",
                                        Artifacts.collectorJar().toString(),
                                        "--queue",
                                        queue.toString(),
                                        "--http-port",
                                        "0",
                                        "--profile-window",
                                        "200"),
                                work.resolve("collector.log"));
                DemoServer server =
                        DemoServer.start(
                                jdk, models, "queue=" + queue, work.resolve("server.log"))) {
            String api =
                    "http://127.0.0.1:"
                            + collector
                                    .awaitLine(
                                            "listening on http://127\\.0\\.0\\.1:(\\d+)",
                                            Duration.ofSeconds(60))
                                    .group(1);
            run(
                    jdk,
                    "traffic.log",
                    "-jar",
                    Artifacts.demoJar().toString(),
                    "traffic",
                    "--url",
                    "http://127.0.0.1:" + server.port,
                    "--models",
                    models.toString(),
                    "--scenario",
                    "benign",
                    "--requests",
                    String.valueOf(REQUESTS));

            QueueContents q = QueueContents.read(queue);
            assertThat(q.inferences).hasSize(5 * REQUESTS);
            // the detectors had something to look at: fingerprints, classifier outputs, clients
            assertThat(q.inferences)
                    .allSatisfy(
                            r -> {
                                assertThat(r.fingerprintLength).isEqualTo(64);
                                assertThat(r.clientId).startsWith("benign-");
                                assertThat(r.outputCount).isPositive();
                            });
            assertThat(
                            q.inferences.stream()
                                    .filter(r -> r.outputs[0].topK > 0 || r.outputCount > 1))
                    .isNotEmpty();
            long records = q.inferences.size() + q.modelLoads.size();
            JsonNode health = awaitHealth(api, records);
            assertThat(health.get("detectorErrors").asLong()).isZero();
            assertThat(get(api + "/api/incidents")).as("incidents").isEmpty();
        }
    }

    private void run(Path jdk, String log, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Artifacts.java(jdk));
        cmd.addAll(List.of(args));
        try (ForkedJvm p = ForkedJvm.start(cmd, work.resolve(log))) {
            assertThat(p.awaitExit(Duration.ofMinutes(3))).as(p.describe()).isZero();
        }
    }

    private JsonNode get(String url) throws Exception {
        HttpResponse<String> r =
                http.send(
                        HttpRequest.newBuilder(URI.create(url)).build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(url + " " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private JsonNode awaitHealth(String api, long records) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonNode health;
        do {
            health = get(api + "/healthz");
            if (health.get("recordsRead").asLong() >= records) {
                break;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        assertThat(health.get("recordsRead").asLong()).as(health.toString()).isEqualTo(records);
        return health;
    }
}
