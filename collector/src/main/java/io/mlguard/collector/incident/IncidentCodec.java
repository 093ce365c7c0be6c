package io.mlguard.collector.incident;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
        IncidentFields.identity(n, i);
        n.put("groupKey", i.groupKey());
        IncidentFields.times(n, i);
        IncidentFields.evidence(n, i, MAPPER);
        IncidentFields.recordRange(n, i);
        IncidentFields.timeline(n, i);
        Explanation x = i.explanation();
        if (x != null) {
            ExplanationCodec.encode(x, n.putObject("explanation"));
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
                .forEachRemaining(e -> evidence.put(e.getKey(), value(e.getValue())));
        Map<String, Long> reasons = new LinkedHashMap<>();
        n.path("reasons")
                .fields()
                .forEachRemaining(e -> reasons.put(e.getKey(), e.getValue().asLong()));
        Explanation explanation = null;
        JsonNode x = n.get("explanation");
        if (x != null && x.isObject()) {
            explanation = ExplanationCodec.decode(x);
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
                explanation,
                timeline(n));
    }

    private static SignalTimeline timeline(JsonNode n) {
        JsonNode t = n.get("timeline");
        if (t == null || !t.isObject()) {
            return SignalTimeline.legacy(n.path("firstSeen").asLong(), n.path("count").asLong());
        }
        JsonNode c = t.path("counts");
        long[] counts = new long[c.size()];
        for (int k = 0; k < counts.length; k++) {
            counts[k] = c.get(k).asLong();
        }
        return SignalTimeline.restore(
                t.path("startMillis").asLong(), t.path("bucketMillis").asLong(), counts);
    }

    private static JsonNode required(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException("stored incident lacks '" + field + "'");
        }
        return v;
    }

    /** A scalar, or a list of scalars (chart data such as binned distributions). */
    private static Object value(JsonNode v) {
        if (v.isArray()) {
            List<Object> list = new ArrayList<>(v.size());
            v.forEach(e -> list.add(scalar(e)));
            return java.util.Collections.unmodifiableList(list);
        }
        return scalar(v);
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
