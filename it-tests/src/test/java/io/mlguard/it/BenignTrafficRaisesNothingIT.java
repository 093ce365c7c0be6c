package io.mlguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The false-positive check of every detector on real traffic: five benign clients each send 150
 * held-out MNIST digits through the demo server with the agent, and the collector — with a profile
 * window small enough that drift and operational checks are live, and more than 100 queries per
 * client so the extraction test runs — raises no incident, but for a latency shift the host itself
 * caused (see below).
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
            // A latency shift is the host's, not the traffic's: on a shared 2-core machine the
            // server, collector and traffic generator (and anything else running) can slow
            // inferences down after the 200-record profile (seen in CI runs: profile median 147 us,
            // 305 us later). Such an incident is let through, and printed, only when its evidence
            // shows an upward shift: the CUSUM's last step took it over its threshold, so the
            // latency that raised it lies above the profile's median. Any other incident fails.
            List<JsonNode> rest = new ArrayList<>();
            for (JsonNode incident : collector.get("/api/incidents")) {
                if (isLatencyShiftOnly(incident)) {
                    JsonNode e = incident.get("evidence");
                    System.out.println("latency shift let through: " + e);
                    assertThat(e.get("latencyMicros").asDouble())
                            .as("latency of %s", incident.get("id"))
                            .isGreaterThanOrEqualTo(e.get("referenceMedianMicros").asDouble());
                } else {
                    rest.add(incident);
                }
            }
            assertThat(rest).as("incidents").isEmpty();
        }
    }

    private static boolean isLatencyShiftOnly(JsonNode incident) {
        JsonNode reasons = incident.get("reasons");
        return "operational".equals(incident.get("type").asText())
                && reasons != null
                && reasons.size() == 1
                && reasons.has("latency_shift");
    }
}
