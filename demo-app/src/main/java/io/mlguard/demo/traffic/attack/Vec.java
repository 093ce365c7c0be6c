package io.mlguard.demo.traffic.attack;

import java.util.SplittableRandom;

/** Small vector helpers on images whose pixels lie in [0, 1]. */
final class Vec {
    private Vec() {}

    static double l2(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i];
            sum += d * d;
        }
        return Math.sqrt(sum);
    }

    static double norm(double[] v) {
        double sum = 0;
        for (double x : v) {
            sum += x * x;
        }
        return Math.sqrt(sum);
    }

    /** {@code (1 - t) * a + t * b}, clipped to [0, 1]. */
    static float[] blend(float[] a, float[] b, double t) {
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = clip((float) ((1 - t) * a[i] + t * b[i]));
        }
        return out;
    }

    /** {@code x + step * direction}, clipped to [0, 1]. */
    static float[] step(float[] x, double[] direction, double step) {
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = clip((float) (x[i] + step * direction[i]));
        }
        return out;
    }

    static float clip(float v) {
        return v < 0f ? 0f : v > 1f ? 1f : v;
    }

    /** A direction drawn uniformly on the unit sphere. */
    static double[] randomUnit(int n, SplittableRandom random) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = gaussian(random);
        }
        double norm = norm(v);
        for (int i = 0; i < n; i++) {
            v[i] /= norm;
        }
        return v;
    }

    /** Box-Muller; SplittableRandom has no nextGaussian on Java 17. */
    static double gaussian(SplittableRandom random) {
        double u1 = 1.0 - random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
