package io.mlguard.collector.explain.llm;

import static io.mlguard.collector.explain.llm.FakeOpenAiServer.Reply.answer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mlguard.collector.detect.Severity;
import io.mlguard.collector.explain.Explanation;
import io.mlguard.collector.explain.IncidentFacts;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MaskingTest {
    private static final List<String> RAW =
            List.of(
                    "203.0.113.77",
                    "alice@example.com",
                    "svc-payments-7",
                    "2001:db8::1",
                    "sk-live-9f8e7d6c5b4a39281716",
                    "0.734215",
                    "1.918273",
                    "secret-model-v3");

    private static IncidentFacts incident() {
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("input", "pixels");
        ev.put("observedMin", -3.5);
        ev.put("features", List.of(0.734215, 1.918273));
        ev.put("source", "/models/secret-model-v3.onnx uploaded by alice@example.com");
        ev.put("header", "Authorization: Bearer sk-live-9f8e7d6c5b4a39281716 from 2001:db8::1");
        return new IncidentFacts(
                "inc-00000000000000aa",
                "invalid_input",
                Severity.MEDIUM,
                "secret-model-v3",
                List.of("203.0.113.77", "alice@example.com", "svc-payments-7"),
                0,
                3,
                1L,
                2L,
                ev,
                Map.of("out_of_range", 3L));
    }

    @Test
    void noRawIdentityAddressSecretOrFeatureValueReachesTheServer() throws Exception {
        try (FakeOpenAiServer server = new FakeOpenAiServer()) {
            ObjectNode a = Answers.MAPPER.createObjectNode();
            a.put("summary", "CLIENT_1 and CLIENT_2 sent values far outside the range to MODEL_1.");
            a.put("likelyCause", "Unnormalised input from CLIENT_3.");
            a.put("techniqueId", "AML.T0043");
            a.put("severity", "medium");
            a.put("confidence", 0.5);
            a.putArray("actions").add("investigate");
            a.putArray("citedEvidence").add("observedMin");
            a.put("model", "MODEL_1");
            a.put("count", 3);
            server.script(answer(a.toString()));
            LlmSettings s =
                    LlmSettings.of(Map.of("baseUrl", server.baseUrl(), "model", "test-model"));
            Explanation e =
                    new LlmExplainer(ChatModels.create(s, Map.of()), s, null).explain(incident());

            assertThat(server.bodies()).hasSize(1);
            for (String body : server.bodies()) {
                for (String raw : RAW) {
                    assertThat(body).doesNotContain(raw);
                }
                assertThat(body).contains("CLIENT_1", "CLIENT_3", "MODEL_1", "VALUE_1", "TOKEN_1");
            }
            // The operator sees the real names again.
            assertThat(e.source()).isEqualTo("llm");
            assertThat(e.summary())
                    .isEqualTo(
                            "203.0.113.77 and alice@example.com sent values far outside the range"
                                    + " to secret-model-v3.");
            assertThat(e.likelyCause()).contains("svc-payments-7");
        }
    }

    @Test
    void placeholdersAreStableWithinOnePrompt() {
        Masker m = new Masker(Set.of());
        assertThat(m.client("a")).isEqualTo("CLIENT_1");
        assertThat(m.client("b")).isEqualTo("CLIENT_2");
        assertThat(m.client("a")).isEqualTo("CLIENT_1");
        assertThat(m.text("from a and 10.0.0.1, again 10.0.0.1"))
                .isEqualTo("from CLIENT_1 and IP_1, again IP_1");
        assertThat(m.unmask("CLIENT_2 and IP_1 and CLIENT_9"))
                .isEqualTo("b and 10.0.0.1 and CLIENT_9");
    }

    @Test
    void disclosedClientIdsStayAsTheyAre() {
        Masker m = new Masker(Set.of(Disclosure.CLIENT_IDS));
        assertThat(m.client("alice")).isEqualTo("alice");
        assertThat(m.model("m")).isEqualTo("MODEL_1");
    }
}
