package io.mlguard.collector.detect;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Helpers for {@link Checkpointable} states: JSON with exact doubles, infinities included. */
public final class DetectorStateJson {
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private DetectorStateJson() {}

    /**
     * A state object written from parts already in JSON, so that a detector can reuse the JSON of
     * the parts that did not change: the numbers (in order), then {@code arrayName} holding the
     * {@code array} values as they are, then, unless {@code objectName} is null, an object of the
     * {@code object} values by name.
     */
    public static String assemble(
            Map<String, Long> numbers,
            String arrayName,
            List<String> array,
            String objectName,
            Map<String, String> object) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = MAPPER.getFactory().createGenerator(out)) {
            g.writeStartObject();
            for (Map.Entry<String, Long> e : numbers.entrySet()) {
                g.writeNumberField(e.getKey(), e.getValue());
            }
            g.writeArrayFieldStart(arrayName);
            for (String v : array) {
                g.writeRawValue(v);
            }
            g.writeEndArray();
            if (objectName != null) {
                g.writeObjectFieldStart(objectName);
                for (Map.Entry<String, String> e : object.entrySet()) {
                    g.writeFieldName(e.getKey());
                    g.writeRawValue(e.getValue());
                }
                g.writeEndObject();
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("a StringWriter does not fail", e);
        }
        return out.toString();
    }

    /**
     * {@code state} (a JSON object) with the array {@code arrayName} replaced by {@code array}, the
     * values as they are; the other fields keep their order. Added last if absent.
     */
    public static String withArray(String state, String arrayName, List<String> array) {
        JsonNode n = parse(state);
        StringWriter out = new StringWriter();
        try (JsonGenerator g = MAPPER.getFactory().createGenerator(out)) {
            g.writeStartObject();
            boolean written = false;
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals(arrayName)) {
                    writeArray(g, arrayName, array);
                    written = true;
                } else {
                    g.writeFieldName(e.getKey());
                    g.writeTree(e.getValue());
                }
            }
            if (!written) {
                writeArray(g, arrayName, array);
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("a StringWriter does not fail", e);
        }
        return out.toString();
    }

    private static void writeArray(JsonGenerator g, String name, List<String> array)
            throws IOException {
        g.writeArrayFieldStart(name);
        for (String v : array) {
            g.writeRawValue(v);
        }
        g.writeEndArray();
    }

    /**
     * {@code state} parsed, refused unless it is an object holding the array {@code arrayName} and
     * no field outside {@code known}: a state this collector does not fully understand (a newer
     * collector's) must fail loudly rather than be restored without the parts it did not read.
     *
     * @throws UnknownStateFormatException if it is JSON of another form
     * @throws IllegalArgumentException if it is not a JSON object
     */
    public static JsonNode parseKnown(
            String state, String detector, String arrayName, Set<String> known) {
        JsonNode n = parse(state);
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!known.contains(f)) {
                throw new UnknownStateFormatException(
                        detector + " state has a field this collector does not know: " + f);
            }
        }
        if (!n.path(arrayName).isArray()) {
            throw new UnknownStateFormatException(
                    detector + " state has no array \"" + arrayName + "\"");
        }
        return n;
    }

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
