package io.mlguard.demo.traffic.drift;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlguard.demo.Json;
import io.mlguard.demo.data.ArffAttribute;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A client's view of the credit model's input: read from the {@code features.json} published beside
 * the model, not from the model's classes, the way any other client would build inputs.
 */
public final class CreditFeatures {
    private record Feature(int column, List<String> values) {}

    private final int width;
    private final Map<String, Feature> features = new HashMap<>();

    private CreditFeatures(JsonNode doc) {
        this.width = doc.path("width").asInt(-1);
        if (width <= 0 || !doc.path("features").isArray()) {
            throw new IllegalArgumentException("features.json has no width or no features");
        }
        for (JsonNode f : doc.path("features")) {
            List<String> values =
                    f.has("values")
                            ? Json.MAPPER.convertValue(
                                    f.path("values"),
                                    Json.MAPPER
                                            .getTypeFactory()
                                            .constructCollectionType(List.class, String.class))
                            : List.of();
            features.put(f.path("name").asText(), new Feature(f.path("column").asInt(), values));
        }
    }

    /** Reads {@code file}. */
    public static CreditFeatures read(Path file) throws IOException {
        return new CreditFeatures(Json.MAPPER.readTree(file.toFile()));
    }

    /** Input width. */
    public int width() {
        return width;
    }

    /**
     * The input vector of one applicant given as ARFF-encoded values of {@code attributes}; a
     * missing nominal sets no column and a missing number stays 0.
     */
    public float[] encode(List<ArffAttribute> attributes, double[] row) {
        float[] x = new float[width];
        for (int a = 0; a < attributes.size(); a++) {
            ArffAttribute attribute = attributes.get(a);
            Feature f = features.get(attribute.name());
            if (f == null) {
                throw new IllegalArgumentException("the model has no feature " + attribute.name());
            }
            if (Double.isNaN(row[a])) {
                continue;
            }
            if (attribute.nominal()) {
                int index = f.values().indexOf(attribute.values().get((int) row[a]));
                if (index >= 0) {
                    x[f.column() + index] = 1f;
                }
            } else {
                x[f.column()] = (float) row[a];
            }
        }
        return x;
    }

    /** The column of a numeric feature. */
    public int column(String name) {
        Feature f = features.get(name);
        if (f == null || !f.values().isEmpty()) {
            throw new IllegalArgumentException("no numeric feature " + name);
        }
        return f.column();
    }
}
