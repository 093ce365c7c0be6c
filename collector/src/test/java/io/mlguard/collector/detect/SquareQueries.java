package io.mlguard.collector.detect;

import io.mlguard.protocol.InferenceRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The query sequence of the demo's L-infinity Square attack (demo-app SquareAttack: the clean
 * source, vertical stripes of +-eps, then random squares set to +-eps on the paper's schedule, a
 * trial kept when the true-class margin drops), played against {@link RealTraffic}'s MNIST model
 * and recorded as the agent writes it, so the tests see the attack's real fingerprints.
 */
final class SquareQueries {
    static final int SIDE = 28;
    static final double EPSILON = 0.12; // the demo's default radius
    private static final double P_INIT = 0.3;

    /** The records of one run until success or {@code budget} queries. */
    static List<InferenceRecord> run(
            RealTraffic rt, float[] source, int truth, long seed, int budget, String client) {
        SplittableRandom random = new SplittableRandom(seed);
        List<InferenceRecord> out = new ArrayList<>();
        long t = 1_000_000L;
        out.add(rt.digits(client, t++, source));
        float[] delta = new float[source.length];
        for (int col = 0; col < SIDE; col++) {
            float sign = random.nextBoolean() ? 1f : -1f;
            for (int row = 0; row < SIDE; row++) {
                delta[row * SIDE + col] = (float) (sign * EPSILON);
            }
        }
        float[] x0 = apply(source, delta);
        out.add(rt.digits(client, t++, x0));
        double best = margin(rt.probabilities(x0), truth);
        for (int i = 1; best >= 0 && out.size() < budget; i++) {
            int s = side(i);
            int top = random.nextInt(SIDE - s + 1);
            int left = random.nextInt(SIDE - s + 1);
            float[] trial = delta.clone();
            float sign = random.nextBoolean() ? 1f : -1f;
            for (int r = top; r < top + s; r++) {
                for (int c = left; c < left + s; c++) {
                    trial[r * SIDE + c] = (float) (sign * EPSILON);
                }
            }
            float[] x = apply(source, trial);
            out.add(rt.digits(client, t++, x));
            double m = margin(rt.probabilities(x), truth);
            if (m < best) {
                best = m;
                delta = trial;
            }
        }
        return out;
    }

    static int side(int i) {
        double p = P_INIT;
        for (int milestone : new int[] {10, 50, 200, 500, 1000, 2000, 4000, 6000, 8000}) {
            if (i > milestone) {
                p /= 2;
            }
        }
        return Math.max(1, Math.min(SIDE - 1, (int) Math.round(Math.sqrt(p * SIDE * SIDE))));
    }

    private static float[] apply(float[] source, float[] delta) {
        float[] x = new float[source.length];
        for (int i = 0; i < x.length; i++) {
            float v = source[i] + delta[i];
            x[i] = v < 0f ? 0f : v > 1f ? 1f : v;
        }
        return x;
    }

    static double margin(float[] p, int truth) {
        double other = 0;
        for (int k = 0; k < p.length; k++) {
            if (k != truth) {
                other = Math.max(other, p[k]);
            }
        }
        return Math.log(Math.max(p[truth], 1e-38)) - Math.log(Math.max(other, 1e-38));
    }

    private SquareQueries() {}
}
