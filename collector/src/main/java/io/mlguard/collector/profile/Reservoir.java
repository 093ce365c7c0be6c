package io.mlguard.collector.profile;

import java.util.SplittableRandom;

/**
 * A uniform sample of at most {@code capacity} values of a stream (Vitter's algorithm R), so that a
 * reference window of any length builds a sketch in bounded memory. Seeded: the same stream gives
 * the same sample.
 */
final class Reservoir {
    private final double[] values;
    private final SplittableRandom random;
    private long seen;

    Reservoir(int capacity, long seed) {
        this.values = new double[capacity];
        this.random = new SplittableRandom(seed);
    }

    void add(double v) {
        if (!Double.isFinite(v)) {
            return;
        }
        seen++;
        if (seen <= values.length) {
            values[(int) seen - 1] = v;
        } else {
            long j = random.nextLong(seen);
            if (j < values.length) {
                values[(int) j] = v;
            }
        }
    }

    long seen() {
        return seen;
    }

    QuantileSketch sketch() {
        int n = (int) Math.min(seen, values.length);
        return QuantileSketch.of(values.clone(), n, seen);
    }
}
