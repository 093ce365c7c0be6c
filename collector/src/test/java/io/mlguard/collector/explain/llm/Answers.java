package io.mlguard.collector.explain.llm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mlguard.collector.detect.Severity;
import io.mlguard.collector.explain.IncidentFacts;
import java.util.List;
import java.util.Map;

/** Test incidents and scripted LLM answers. */
final class Answers {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Answers() {}

    static IncidentFacts queryAttack(String client) {
        return new IncidentFacts(
                "inc-0000000000000001",
                "query_attack",
                Severity.HIGH,
                "fraud-model",
                List.of(client),
                0,
                42,
                1_700_000_000_000L,
                1_700_000_060_000L,
                Map.of("nearDuplicateQueries", 37L, "meanDistance", 0.0123),
                Map.of("near_duplicates", 42L));
    }

    /** A valid answer for {@link #queryAttack}, written with the placeholders the LLM sees. */
    static ObjectNode valid(String model) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("summary", "Client CLIENT_1 sent 37 near-duplicate queries to " + model + ".");
        n.put("likelyCause", "A black-box adversarial search by CLIENT_1.");
        n.put("techniqueId", "AML.T0043.001");
        n.put("severity", "high");
        n.put("confidence", 0.8);
        n.putArray("actions").add("throttle_client").add("block_client");
        n.putArray("citedEvidence").add("nearDuplicateQueries");
        n.put("model", model);
        n.put("count", 42);
        return n;
    }

    static String json(ObjectNode n) {
        return n.toString();
    }
}
