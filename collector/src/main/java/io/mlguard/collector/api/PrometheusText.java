package io.mlguard.collector.api;

import io.mlguard.collector.ingest.TimeHistogram;
import java.util.Locale;
import java.util.Map;

/**
 * Writes the Prometheus text exposition format (version 0.0.4). Hand-written rather than a client
 * library: the values already live in the collector's own counters, and the format for counters,
 * gauges and histograms is a few lines.
 */
final class PrometheusText {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final StringBuilder b = new StringBuilder(4096);

    PrometheusText header(String name, String type, String help) {
        b.append("# HELP ").append(name).append(' ').append(help).append('\n');
        b.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        return this;
    }

    PrometheusText sample(String name, double value) {
        b.append(name).append(' ').append(number(value)).append('\n');
        return this;
    }

    PrometheusText sample(String name, String label, String labelValue, double value) {
        b.append(name).append('{').append(label).append("=\"").append(escape(labelValue));
        b.append("\"} ").append(number(value)).append('\n');
        return this;
    }

    PrometheusText sample(String name, Map<String, String> labels, double value) {
        b.append(name).append('{');
        boolean first = true;
        for (Map.Entry<String, String> e : labels.entrySet()) {
            b.append(first ? "" : ",").append(e.getKey()).append("=\"");
            b.append(escape(e.getValue())).append('"');
            first = false;
        }
        b.append("} ").append(number(value)).append('\n');
        return this;
    }

    PrometheusText histogram(String name, String help, TimeHistogram h) {
        header(name, "histogram", help);
        double[] bounds = h.upperBoundsSeconds();
        long[] counts = h.cumulativeCounts();
        for (int i = 0; i < bounds.length; i++) {
            sample(name + "_bucket", "le", number(bounds[i]), counts[i]);
        }
        sample(name + "_bucket", "le", "+Inf", counts[bounds.length]);
        sample(name + "_sum", h.sumSeconds());
        return sample(name + "_count", counts[bounds.length]);
    }

    static String escape(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%s", v);
    }

    @Override
    public String toString() {
        return b.toString();
    }
}
