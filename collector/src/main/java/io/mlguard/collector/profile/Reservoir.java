package io.mlguard.collector.profile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mlguard.collector.detect.DetectorStateJson;

/**
 * A uniform sample of at most {@code capacity} values of a stream (Vitter's algorithm R), so that a
 * reference window of any length builds a sketch in bounded memory. Seeded: the same stream gives
 * the same sample.
 */
final class Reservoir {
    private final double[] values;
    private final long seed;
    private long seen;

    Reservoir(int capacity, long seed) {
        this.values = new double[capacity];
        this.seed = seed;
    }

    void add(double v) {
        if (!Double.isFinite(v)) {
            return;
        }
        seen++;
        if (seen <= values.length) {
            values[(int) seen - 1] = v;
        } else {
            // Derived from the count alone, so a restored reservoir draws what this one would have.
            long j = Long.remainderUnsigned(mix(seed + seen * 0x9E3779B97F4A7C15L), seen);
            if (j < values.length) {
                values[(int) j] = v;
            }
        }
    }

    /** SplitMix64's finaliser: a well-mixed 64-bit value from any input. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The count seen and the kept values, in slot order. */
    ObjectNode saveState() {
        ObjectNode n = DetectorStateJson.MAPPER.createObjectNode();
        n.put("seen", seen);
        ArrayNode a = n.putArray("values");
        for (int i = 0; i < Math.min(seen, values.length); i++) {
            a.add(values[i]);
        }
        return n;
    }

    void restoreState(JsonNode n) {
        JsonNode a = n.path("values");
        long s = n.path("seen").asLong();
        if (s < 0 || a.size() != Math.min(s, values.length)) {
            throw new IllegalArgumentException("reservoir state does not match its count");
        }
        for (int i = 0; i < a.size(); i++) {
            values[i] = a.get(i).asDouble();
        }
        seen = s;
    }

    long seen() {
        return seen;
    }

    QuantileSketch sketch() {
        int n = (int) Math.min(seen, values.length);
        return QuantileSketch.of(values.clone(), n, seen);
    }
}
