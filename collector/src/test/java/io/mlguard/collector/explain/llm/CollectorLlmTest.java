package io.mlguard.collector.explain.llm;

import static io.mlguard.collector.TestRecords.T0;
import static io.mlguard.collector.TestRecords.load;
import static io.mlguard.collector.TestRecords.nanInference;
import static io.mlguard.collector.TestRecords.sha;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mlguard.collector.Collector;
import io.mlguard.collector.QueueFixture;
import io.mlguard.collector.api.IncidentJson;
import io.mlguard.collector.config.CommandLine;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real queue and collector started as the command line does, with an LLM on 127.0.0.1. */
class CollectorLlmTest {
    @TempDir Path tmp;

    private JsonNode incidents(Collector c) throws Exception {
        HttpResponse<String> r =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(
                                                URI.create(
                                                        "http://127.0.0.1:"
                                                                + c.port()
                                                                + "/api/incidents"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
        return IncidentJson.MAPPER.readTree(r.body());
    }

    @Test
    void theIncidentShowsTheLlmExplanationOnceItArrives() throws Exception {
        Path queue = tmp.resolve("queue");
        try (QueueFixture q = new QueueFixture(queue)) {
            q.write(load("mnist", sha('a'), T0));
            q.write(nanInference("mnist", "alice@example.com", T0 + 100));
        }
        ObjectNode answer = Answers.valid("MODEL_1");
        answer.put("count", 1);
        answer.put("techniqueId", "AML.T0043");
        answer.putArray("citedEvidence").add("nanCount");
        try (FakeOpenAiServer server = new FakeOpenAiServer()) {
            server.script(FakeOpenAiServer.Reply.answer(answer.toString()));
            Path settings = tmp.resolve("llm.properties");
            Files.writeString(settings, "baseUrl=" + server.baseUrl() + "\nmodel=test-model\n");
            try (Collector c =
                    Collector.start(
                            CommandLine.parse(
                                            "--queue", queue.toString(),
                                            "--http-port", "0",
                                            "--llm-config", settings.toString())
                                    .config())) {
                long deadline = System.nanoTime() + 60_000_000_000L;
                JsonNode explanation = null;
                while (System.nanoTime() < deadline) {
                    JsonNode list = incidents(c);
                    if (list.size() == 1
                            && "llm".equals(list.get(0).at("/explanation/source").asText())) {
                        explanation = list.get(0).get("explanation");
                        break;
                    }
                    Thread.sleep(50);
                }
                assertThat(explanation).as("LLM explanation on the incident").isNotNull();
                assertThat(explanation.get("summary").asText()).contains("alice@example.com");
                assertThat(explanation.get("generatedBy").asText()).isEqualTo("llm:test-model");
                assertThat(explanation.get("actions").get(0).asText()).isEqualTo("throttle_client");
                assertThat(explanation.has("fallbackReason")).isFalse();
            }
            assertThat(server.bodies()).hasSize(1);
            assertThat(server.bodies().get(0)).doesNotContain("alice@example.com");
            // The explained incident was remembered for later prompts, beside the settings.
            assertThat(tmp.resolve("llm-memory.json")).exists();
        }
    }
}
