package io.mlguard.collector.profile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Saves and loads a {@link ModelProfile} as versioned JSON: {@code {"version": 1, "model": ...,
 * "records": ..., "errors": ..., "classCounts": [64 counts], "statistics": {"name": {"count": n,
 * "quantiles": [201 values]}}}}. Any other version, a missing field or a bad value is a {@link
 * ProfileFormatException} that names the file and the problem.
 */
public final class ProfileFile {
    /** The format this collector writes and reads. */
    public static final int VERSION = 1;

    private static final ObjectMapper JSON =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ProfileFile() {}

    /** Writes atomically (temporary file, then rename), so a reader never sees half a profile. */
    public static void save(ModelProfile p, Path file) throws IOException {
        ObjectNode root = toJson(p);
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".profile", ".tmp");
        try {
            JSON.writeValue(tmp.toFile(), root);
            Files.move(
                    tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The profile as the JSON a profile file holds ({@link #parse} reads it back exactly). */
    static ObjectNode toJson(ModelProfile p) {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", VERSION);
        root.put("model", p.model());
        root.put("records", p.records());
        root.put("errors", p.errors());
        ArrayNode classes = root.putArray("classCounts");
        for (long c : p.classCounts()) {
            classes.add(c);
        }
        ObjectNode stats = root.putObject("statistics");
        p.statistics()
                .forEach(
                        (name, s) -> {
                            ObjectNode n = stats.putObject(name);
                            n.put("count", s.count());
                            ArrayNode q = n.putArray("quantiles");
                            for (double v : s.quantiles()) {
                                q.add(v);
                            }
                        });
        return root;
    }

    public static ModelProfile load(Path file) throws ProfileFormatException {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new ProfileFormatException(
                    "cannot read profile " + file + ": " + e.getMessage(), e);
        }
        return parse(root, file.toString());
    }

    static ModelProfile parse(JsonNode root, String origin) throws ProfileFormatException {
        if (root == null || !root.isObject()) {
            throw bad(origin, "not a JSON object");
        }
        JsonNode version = root.get("version");
        if (version == null || !version.canConvertToInt()) {
            throw bad(origin, "no \"version\" field");
        }
        if (version.asInt() != VERSION) {
            throw bad(
                    origin,
                    "version "
                            + version.asInt()
                            + " is not supported; this collector reads version "
                            + VERSION
                            + " (rebuild the profile with 'profile build')");
        }
        String model = text(root, "model", origin);
        long records = whole(root, "records", origin);
        long errors = whole(root, "errors", origin);
        JsonNode classes = root.get("classCounts");
        if (classes == null
                || !classes.isArray()
                || classes.size() != RecordStatistics.CLASS_BINS) {
            throw bad(
                    origin, "\"classCounts\" must list " + RecordStatistics.CLASS_BINS + " counts");
        }
        long[] counts = new long[RecordStatistics.CLASS_BINS];
        for (int i = 0; i < counts.length; i++) {
            if (!classes.get(i).canConvertToLong() || !classes.get(i).isIntegralNumber()) {
                throw bad(origin, "classCounts[" + i + "] is not a whole number");
            }
            counts[i] = classes.get(i).asLong();
        }
        JsonNode stats = root.get("statistics");
        if (stats == null || !stats.isObject()) {
            throw bad(origin, "no \"statistics\" object");
        }
        Map<String, QuantileSketch> sketches = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = stats.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String where = "statistics." + e.getKey();
            JsonNode q = e.getValue().get("quantiles");
            if (q == null || !q.isArray() || q.size() != QuantileSketch.POINTS) {
                throw bad(
                        origin,
                        where + ".quantiles must list " + QuantileSketch.POINTS + " numbers");
            }
            double[] values = new double[QuantileSketch.POINTS];
            for (int i = 0; i < values.length; i++) {
                if (!q.get(i).isNumber()) {
                    throw bad(origin, where + ".quantiles[" + i + "] is not a number");
                }
                values[i] = q.get(i).asDouble();
            }
            try {
                sketches.put(
                        e.getKey(),
                        new QuantileSketch(values, whole(e.getValue(), "count", where)));
            } catch (IllegalArgumentException ex) {
                throw bad(origin, where + ": " + ex.getMessage());
            }
        }
        try {
            return new ModelProfile(model, records, errors, sketches, counts);
        } catch (IllegalArgumentException ex) {
            throw bad(origin, ex.getMessage());
        }
    }

    private static String text(JsonNode n, String field, String origin)
            throws ProfileFormatException {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw bad(origin, "\"" + field + "\" must be a non-empty string");
        }
        return v.asText();
    }

    private static long whole(JsonNode n, String field, String origin)
            throws ProfileFormatException {
        JsonNode v = n.get(field);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
            throw bad(origin, "\"" + field + "\" must be a whole number");
        }
        return v.asLong();
    }

    private static ProfileFormatException bad(String origin, String what) {
        return new ProfileFormatException("profile " + origin + ": " + what);
    }
}
