package io.mlguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The false-positive check of every detector on real traffic: five benign clients each send 150
 * held-out MNIST digits through the demo server with the agent, and the collector — with a profile
 * window small enough that drift and operational checks are live, and more than 100 queries per
 * client so the extraction test runs — raises no incident at all.
 */
class BenignTrafficRaisesNothingIT {
    private static final int REQUESTS = 150;

    @TempDir Path work;

    @Test
    void benignClientsRaiseNoIncident() throws Exception {
        Path jdk = Artifacts.jdks().get(0);
        Path models = work.resolve("models");
        Path queue = work.resolve("queue");
        DemoModels.train(models, 2, work.resolve("train.log"));
        try (CollectorProcess collector =
                        CollectorProcess.start(
                                jdk,
                                queue,
                                work.resolve("collector.log"),
                                "--profile-window",
                                "200");
                DemoServer server =
                        DemoServer.start(
                                jdk, models, "queue=" + queue, work.resolve("server.log"))) {
            server.playTraffic(
                    jdk,
                    models,
                    work.resolve("traffic.log"),
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
            JsonNode health = collector.awaitHealth(records);
            assertThat(health.get("detectorErrors").asLong()).isZero();
            assertThat(collector.get("/api/incidents")).as("incidents").isEmpty();
        }
    }
}
