package io.mlguard.collector.detect;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/** Helpers for {@link Checkpointable} states: JSON with exact doubles, infinities included. */
public final class DetectorStateJson {
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private DetectorStateJson() {}

    public static JsonNode parse(String state) {
        try {
            JsonNode n = MAPPER.readTree(state);
            if (n == null || !n.isObject()) {
                throw new IllegalArgumentException("detector state is not a JSON object");
            }
            return n;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("detector state is not JSON: " + e.getMessage(), e);
        }
    }

    /** A finite double as a number (Jackson writes it so it reads back exactly), else a string. */
    public static JsonNode number(double d) {
        return Double.isFinite(d)
                ? JsonNodeFactory.instance.numberNode(d)
                : JsonNodeFactory.instance.textNode(Double.toString(d));
    }

    public static double toDouble(JsonNode n) {
        return n.isTextual() ? Double.parseDouble(n.asText()) : n.asDouble();
    }
}
