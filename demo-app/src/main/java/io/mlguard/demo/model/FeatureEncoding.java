package io.mlguard.demo.model;

import io.mlguard.demo.data.ArffAttribute;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How tabular rows become a model's input vector: each nominal attribute becomes one column per
 * value (one-hot; a missing value sets none), each numeric attribute one column holding the raw
 * number (a missing one takes the training mean). The model itself standardises numeric columns
 * with the training mean and standard deviation kept here, so clients send raw values.
 */
public final class FeatureEncoding {
    private final List<ArffAttribute> attributes;
    private final int[] offsets;
    private final List<String> columns;
    private final float[] mean;
    private final float[] scale;

    private FeatureEncoding(List<ArffAttribute> attributes, List<double[]> rows) {
        this.attributes = List.copyOf(attributes);
        this.offsets = new int[attributes.size()];
        List<String> names = new ArrayList<>();
        for (int a = 0; a < attributes.size(); a++) {
            ArffAttribute attribute = attributes.get(a);
            offsets[a] = names.size();
            if (attribute.nominal()) {
                attribute.values().forEach(v -> names.add(attribute.name() + "=" + v));
            } else {
                names.add(attribute.name());
            }
        }
        this.columns = List.copyOf(names);
        this.mean = new float[names.size()];
        this.scale = new float[names.size()];
        java.util.Arrays.fill(scale, 1f);
        for (int a = 0; a < attributes.size(); a++) {
            if (!attributes.get(a).nominal()) {
                fitNumeric(a, rows);
            }
        }
    }

    /** Learns the numeric statistics from {@code trainingRows} (ARFF-encoded). */
    public static FeatureEncoding fit(List<ArffAttribute> attributes, List<double[]> trainingRows) {
        return new FeatureEncoding(attributes, trainingRows);
    }

    private void fitNumeric(int a, List<double[]> rows) {
        double sum = 0;
        double sumSq = 0;
        int n = 0;
        for (double[] row : rows) {
            if (!Double.isNaN(row[a])) {
                sum += row[a];
                sumSq += row[a] * row[a];
                n++;
            }
        }
        double m = n == 0 ? 0 : sum / n;
        double var = n == 0 ? 0 : Math.max(0, sumSq / n - m * m);
        mean[offsets[a]] = (float) m;
        // a constant column carries no information: leave it unscaled rather than divide by 0
        scale[offsets[a]] = var > 1e-12 ? (float) (1 / Math.sqrt(var)) : 1f;
    }

    /** Number of input columns. */
    public int width() {
        return columns.size();
    }

    /** Column names: {@code attribute=value} for one-hot columns, the attribute name otherwise. */
    public List<String> columns() {
        return columns;
    }

    /** The column of numeric attribute {@code name}. */
    public int numericColumn(String name) {
        for (int a = 0; a < attributes.size(); a++) {
            if (attributes.get(a).name().equals(name) && !attributes.get(a).nominal()) {
                return offsets[a];
            }
        }
        throw new IllegalArgumentException("no numeric attribute '" + name + "'");
    }

    /** Per-column value subtracted before scaling (0 for one-hot columns); shared. */
    float[] mean() {
        return mean;
    }

    /** Per-column factor applied after centring (1 for one-hot columns); shared. */
    float[] scale() {
        return scale;
    }

    /** The raw input vector of one ARFF-encoded row. */
    public float[] encode(double[] row) {
        if (row.length != attributes.size()) {
            throw new IllegalArgumentException(
                    row.length + " values for " + attributes.size() + " attributes");
        }
        float[] x = new float[width()];
        for (int a = 0; a < row.length; a++) {
            if (attributes.get(a).nominal()) {
                if (!Double.isNaN(row[a])) {
                    x[offsets[a] + (int) row[a]] = 1f;
                }
            } else {
                x[offsets[a]] = Double.isNaN(row[a]) ? mean[offsets[a]] : (float) row[a];
            }
        }
        return x;
    }

    /**
     * The description written to {@code features.json}: enough for a client that has only the
     * served model to build an input vector.
     */
    public Map<String, Object> describe(List<String> classes) {
        List<Map<String, Object>> features = new ArrayList<>();
        for (int a = 0; a < attributes.size(); a++) {
            ArffAttribute attribute = attributes.get(a);
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("name", attribute.name());
            f.put("type", attribute.nominal() ? "nominal" : "numeric");
            f.put("column", offsets[a]);
            if (attribute.nominal()) {
                f.put("values", attribute.values());
            } else {
                f.put("mean", mean[offsets[a]]);
                f.put("std", 1 / scale[offsets[a]]);
            }
            features.add(f);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("input", OnnxExporter.INPUT);
        doc.put("datatype", "FP32");
        doc.put("width", width());
        doc.put(
                "encoding",
                "nominal: one column per value, 1 for the row's value (none when missing);"
                        + " numeric: the raw value (the model standardises it)");
        doc.put("classes", classes);
        doc.put("features", features);
        doc.put("columns", columns);
        return doc;
    }
}
