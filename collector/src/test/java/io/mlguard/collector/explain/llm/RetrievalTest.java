package io.mlguard.collector.explain.llm;

import static io.mlguard.collector.explain.llm.FakeOpenAiServer.Reply.answer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import io.mlguard.collector.detect.Severity;
import io.mlguard.collector.explain.DeterministicExplainer;
import io.mlguard.collector.explain.IncidentFacts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetrievalTest {
    private static EmbeddingModel embeddings;

    @BeforeAll
    static void loadModel() {
        embeddings = new AllMiniLmL6V2EmbeddingModel();
    }

    private static IncidentFacts incident(String id, String type, String client, long count) {
        Map<String, Object> ev =
                type.equals("query_attack")
                        ? Map.of("nearDuplicateQueries", count, "meanDistance", 0.01)
                        : Map.of("observedHashPrefix", "abcdabcdabcdabcd", "sizeBytes", 1234L);
        return new IncidentFacts(
                id,
                type,
                Severity.HIGH,
                "fraud-model",
                List.of(client),
                0,
                count,
                1L,
                2L,
                ev,
                Map.of(type.equals("query_attack") ? "near_duplicates" : "hash_changed", count));
    }

    @Test
    void aFalsePositiveVerdictIsRetrievedForASimilarIncidentAndSurvivesARestart(@TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("memory.json");
        IncidentMemory first = new IncidentMemory(embeddings, file);
        DeterministicExplainer det = new DeterministicExplainer();
        IncidentFacts pastAttack = incident("inc-past-fp", "query_attack", "frames-cam-1", 30);
        first.recordVerdict(
                pastAttack,
                "Camera frames-cam-1 resubmits video frames; benign.",
                "false_positive");
        IncidentFacts unrelated = incident("inc-past-sub", "model_substitution", "x", 1);
        first.remember(unrelated, det.explain(unrelated));
        assertThat(file).exists();

        // A new collector process: the memory comes back from the file.
        IncidentMemory memory = new IncidentMemory(embeddings, file);
        IncidentFacts now = incident("inc-new", "query_attack", "frames-cam-1", 42);
        List<PastIncident> similar = memory.similar(now, 1);
        assertThat(similar).hasSize(1);
        assertThat(similar.get(0).incidentId()).isEqualTo("inc-past-fp");
        assertThat(similar.get(0).verdict()).isEqualTo("false_positive");

        try (FakeOpenAiServer server = new FakeOpenAiServer()) {
            server.script(answer(Answers.json(Answers.valid("MODEL_1"))));
            LlmSettings s =
                    LlmSettings.of(
                            Map.of(
                                    "baseUrl", server.baseUrl(),
                                    "model", "m",
                                    "retrievalK", "1"));
            new LlmExplainer(ChatModels.create(s, Map.of()), s, memory).explain(now);
            JsonNode body = Answers.MAPPER.readTree(server.bodies().get(0));
            String user = body.at("/messages/1/content").asText();
            String past =
                    user.substring(
                            user.indexOf(PromptBuilder.PAST_OPEN),
                            user.indexOf(PromptBuilder.PAST_CLOSE));
            assertThat(past)
                    .contains("false_positive")
                    .contains("Camera CLIENT_1 resubmits video frames")
                    .doesNotContain("model_substitution");
            assertThat(server.bodies().get(0)).doesNotContain("frames-cam-1");
        }
        // The new incident was remembered too, and the file is valid JSON that reloads.
        assertThat(new IncidentMemory(embeddings, file).similar(pastAttack, 3))
                .extracting(PastIncident::incidentId)
                .contains("inc-new");
        assertThat(Files.list(dir).filter(p -> p.toString().endsWith(".tmp"))).isEmpty();
    }

    @Test
    void aVerdictKeepsItsCommentWhenTheIncidentIsExplainedAgain(@TempDir Path dir) {
        Path file = dir.resolve("memory.json");
        IncidentMemory memory = new IncidentMemory(embeddings, file);
        IncidentFacts past = incident("inc-fp", "query_attack", "frames-cam-2", 20);
        memory.recordVerdict(past, "", "false_positive", "camera bursts, benign");
        // a later signal on the same incident is explained again: the verdict must stay
        memory.remember(past, new DeterministicExplainer().explain(past));
        assertThat(memory.verdict("inc-fp")).isEqualTo("false_positive");

        IncidentMemory restarted = new IncidentMemory(embeddings, file);
        PastIncident p =
                restarted
                        .similar(incident("inc-next", "query_attack", "frames-cam-2", 25), 1)
                        .get(0);
        assertThat(p.verdict()).isEqualTo("false_positive");
        assertThat(p.comment()).isEqualTo("camera bursts, benign");
        assertThat(restarted.verdict("inc-unknown")).isNull();
    }

    @Test
    void anUnreadableMemoryFileIsMovedAsideNotLost(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("memory.json");
        Files.writeString(file, "{ not json");
        IncidentMemory memory = new IncidentMemory(embeddings, file);
        assertThat(memory.similar(incident("a", "query_attack", "c", 1), 3)).isEmpty();
        assertThat(Files.list(dir).map(p -> p.getFileName().toString()))
                .anyMatch(n -> n.startsWith("memory.json.unreadable-"));
    }
}
