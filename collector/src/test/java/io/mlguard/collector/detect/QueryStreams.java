package io.mlguard.collector.detect;

import io.mlguard.collector.TestTraffic;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Synthetic query streams built from real MNIST fingerprints, with a fixed seed each. */
final class QueryStreams {
    static final List<byte[]> DIGITS = TestTraffic.mnistFingerprints();

    private QueryStreams() {}

    static byte[] clamp(double[] v) {
        byte[] f = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (byte) Math.max(0, Math.min(255, Math.round(v[i])));
        }
        return f;
    }

    static double[] cells(byte[] f) {
        double[] v = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            v[i] = f[i] & 0xff;
        }
        return v;
    }

    /**
     * A decision-based attack: a random walk of small perturbations (0.5 per cell per step) around
     * one input, each query the walk's position plus its own small noise.
     */
    static List<byte[]> attackWalk(int start, int n, long seed) {
        Random random = new Random(seed);
        double[] p = cells(DIGITS.get(start));
        List<byte[]> out = new ArrayList<>();
        for (int q = 0; q < n; q++) {
            double[] query = new double[p.length];
            for (int i = 0; i < p.length; i++) {
                p[i] += 0.5 * random.nextGaussian();
                query[i] = p[i] + 0.5 * random.nextGaussian();
            }
            out.add(clamp(query));
        }
        return out;
    }

    /** Independent held-out digits, in a seeded random order. */
    static List<byte[]> independent(int n, long seed) {
        Random random = new Random(seed);
        List<byte[]> out = new ArrayList<>();
        for (int q = 0; q < n; q++) {
            out.add(DIGITS.get(random.nextInt(DIGITS.size())));
        }
        return out;
    }

    /** Each digit sent one to five times in a row, exactly (retries, resubmissions). */
    static List<byte[]> retries(int n, long seed) {
        Random random = new Random(seed);
        List<byte[]> out = new ArrayList<>();
        int d = 0;
        while (out.size() < n) {
            byte[] f = DIGITS.get(d++ % DIGITS.size());
            int times = 1 + random.nextInt(5);
            for (int t = 0; t < times && out.size() < n; t++) {
                out.add(f.clone());
            }
        }
        return out;
    }

    /** Bursts of ten near-identical frames (noise 1.0 per cell) of one digit, then the next. */
    static List<byte[]> bursts(int n, long seed) {
        Random random = new Random(seed);
        List<byte[]> out = new ArrayList<>();
        int d = 0;
        while (out.size() < n) {
            double[] base = cells(DIGITS.get(d++ % DIGITS.size()));
            for (int t = 0; t < 10 && out.size() < n; t++) {
                double[] frame = new double[base.length];
                for (int i = 0; i < base.length; i++) {
                    frame[i] = base[i] + random.nextGaussian();
                }
                out.add(clamp(frame));
            }
        }
        return out;
    }
}
