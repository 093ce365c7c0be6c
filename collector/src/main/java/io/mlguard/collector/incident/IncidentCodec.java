package io.mlguard.collector.incident;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mlguard.collector.detect.Severity;
import io.mlguard.collector.detect.SignalType;
import io.mlguard.collector.explain.Explanation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every field of an {@link Incident} as one JSON document and back, for the durable store. This is
 * a storage format, not the API's ({@code IncidentJson}): it keeps internal fields (group key,
 * record indices) and must read back exactly what it wrote, number types included.
 */
public final class IncidentCodec {
    // Integral evidence values are longs when written; read them back as longs, not ints.
    private static final ObjectMapper MAPPER =
            new ObjectMapper().enable(DeserializationFeature.USE_LONG_FOR_INTS);

    private IncidentCodec() {}

    public static String encode(Incident i) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("id", i.id());
        n.put("groupKey", i.groupKey());
        n.put("type", i.type().wireName());
        n.put("severity", i.severity().wireName());
        n.put("model", i.model());
        ArrayNode clients = n.putArray("clients");
        i.clients().forEach(clients::add);
        n.put("clientsOmitted", i.clientsOmitted());
        n.put("firstSeen", i.firstSeen());
        n.put("lastSeen", i.lastSeen());
        n.put("createdAt", i.createdAt());
        n.put("updatedAt", i.updatedAt());
        n.put("count", i.count());
        n.set("evidence", MAPPER.valueToTree(i.evidence()));
        n.set("reasons", MAPPER.valueToTree(i.reasons()));
        n.put("firstRecordIndex", i.firstRecordIndex());
        n.put("lastRecordIndex", i.lastRecordIndex());
        Explanation x = i.explanation();
        if (x != null) {
            ObjectNode e = n.putObject("explanation");
            e.put("summary", x.summary());
            e.put("likelyCause", x.likelyCause());
            ArrayNode actions = e.putArray("recommendedActions");
            x.recommendedActions().forEach(actions::add);
            e.put("generatedBy", x.generatedBy());
        }
        try {
            return MAPPER.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode incident " + i.id(), e);
        }
    }

    /**
     * Reads what {@link #encode} wrote; a damaged document is an {@link IllegalArgumentException}.
     */
    public static Incident decode(String json) {
        JsonNode n;
        try {
            n = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("stored incident is not JSON: " + e.getMessage(), e);
        }
        List<String> clients = new ArrayList<>();
        n.path("clients").forEach(c -> clients.add(c.asText()));
        Map<String, Object> evidence = new LinkedHashMap<>();
        n.path("evidence")
                .fields()
                .forEachRemaining(e -> evidence.put(e.getKey(), scalar(e.getValue())));
        Map<String, Long> reasons = new LinkedHashMap<>();
        n.path("reasons")
                .fields()
                .forEachRemaining(e -> reasons.put(e.getKey(), e.getValue().asLong()));
        Explanation explanation = null;
        JsonNode x = n.get("explanation");
        if (x != null && x.isObject()) {
            List<String> actions = new ArrayList<>();
            x.path("recommendedActions").forEach(a -> actions.add(a.asText()));
            explanation =
                    new Explanation(
                            x.path("summary").asText(),
                            x.path("likelyCause").asText(),
                            actions,
                            x.path("generatedBy").asText());
        }
        return new Incident(
                required(n, "id").asText(),
                required(n, "groupKey").asText(),
                SignalType.ofWireName(required(n, "type").asText()),
                Severity.ofWireName(required(n, "severity").asText()),
                n.path("model").isNull() ? null : n.path("model").asText(null),
                clients,
                n.path("clientsOmitted").asLong(),
                n.path("firstSeen").asLong(),
                n.path("lastSeen").asLong(),
                n.path("createdAt").asLong(),
                n.path("updatedAt").asLong(),
                n.path("count").asLong(),
                evidence,
                reasons,
                n.path("firstRecordIndex").asLong(),
                n.path("lastRecordIndex").asLong(),
                explanation);
    }

    private static JsonNode required(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException("stored incident lacks '" + field + "'");
        }
        return v;
    }

    private static Object scalar(JsonNode v) {
        if (v.isIntegralNumber()) {
            return v.asLong();
        }
        if (v.isNumber()) {
            return v.asDouble();
        }
        if (v.isBoolean()) {
            return v.asBoolean();
        }
        return v.isNull() ? null : v.asText();
    }
}
