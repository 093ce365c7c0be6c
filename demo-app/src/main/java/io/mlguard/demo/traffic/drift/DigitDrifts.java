package io.mlguard.demo.traffic.drift;

import io.mlguard.demo.data.Dataset;
import io.mlguard.demo.model.ModelFiles;
import java.util.SplittableRandom;

/** Drifts of the MNIST digits a client sends: rotation, noise and a changed class mix. */
public final class DigitDrifts {
    /** Angle reached by the last request of {@link #rotate}. */
    public static final double MAX_DEGREES = 60;

    /** Noise standard deviation reached by the last request of {@link #noise}. */
    public static final double MAX_SIGMA = 0.5;

    /** The digit that dominates {@link #classMix}. */
    public static final int DOMINANT_DIGIT = 1;

    /** Its share of the requests. */
    public static final double DOMINANT_SHARE = 0.8;

    private DigitDrifts() {}

    /** Held-out digits rotated by an angle growing linearly from 0 to {@value #MAX_DEGREES}. */
    public static DriftSource rotate(Dataset digits) {
        return new Source(
                (i, count, random) -> {
                    int k = random.nextInt(digits.size());
                    double degrees = MAX_DEGREES * DriftSource.progress(i, count);
                    return new DriftSource.Sample(
                            rotated(digits.image(k), degrees), digits.label(k));
                });
    }

    /** Held-out digits with Gaussian noise whose sigma grows from 0 to {@value #MAX_SIGMA}. */
    public static DriftSource noise(Dataset digits) {
        return new Source(
                (i, count, random) -> {
                    int k = random.nextInt(digits.size());
                    double sigma = MAX_SIGMA * DriftSource.progress(i, count);
                    float[] x = digits.image(k).clone();
                    for (int p = 0; p < x.length; p++) {
                        x[p] = clip((float) (x[p] + sigma * gaussian(random)));
                    }
                    return new DriftSource.Sample(x, digits.label(k));
                });
    }

    /** Held-out digits, {@value #DOMINANT_SHARE} of them the digit {@value #DOMINANT_DIGIT}. */
    public static DriftSource classMix(Dataset digits) {
        return new Source(
                (i, count, random) -> {
                    boolean dominant = random.nextDouble() < DOMINANT_SHARE;
                    int k;
                    do {
                        k = random.nextInt(digits.size());
                    } while ((digits.label(k) == DOMINANT_DIGIT) != dominant);
                    return new DriftSource.Sample(digits.image(k), digits.label(k));
                });
    }

    /** A 28 x 28 image rotated about its centre, bilinear, background outside. */
    public static float[] rotated(float[] image, double degrees) {
        double a = Math.toRadians(degrees);
        double cos = Math.cos(a);
        double sin = Math.sin(a);
        double c = 13.5;
        float[] out = new float[image.length];
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                // inverse mapping: where in the source does this output pixel come from
                double sx = cos * (x - c) + sin * (y - c) + c;
                double sy = -sin * (x - c) + cos * (y - c) + c;
                out[y * 28 + x] = bilinear(image, sx, sy);
            }
        }
        return out;
    }

    private static float bilinear(float[] image, double x, double y) {
        int x0 = (int) Math.floor(x);
        int y0 = (int) Math.floor(y);
        double fx = x - x0;
        double fy = y - y0;
        return (float)
                ((1 - fx) * (1 - fy) * pixel(image, x0, y0)
                        + fx * (1 - fy) * pixel(image, x0 + 1, y0)
                        + (1 - fx) * fy * pixel(image, x0, y0 + 1)
                        + fx * fy * pixel(image, x0 + 1, y0 + 1));
    }

    private static float pixel(float[] image, int x, int y) {
        return x < 0 || y < 0 || x >= 28 || y >= 28 ? 0f : image[y * 28 + x];
    }

    static float clip(float v) {
        return v < 0f ? 0f : v > 1f ? 1f : v;
    }

    static double gaussian(SplittableRandom random) {
        double u1 = 1.0 - random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    @FunctionalInterface
    private interface Generator {
        DriftSource.Sample sample(int i, int count, SplittableRandom random);
    }

    private record Source(Generator generator) implements DriftSource {
        @Override
        public String model() {
            return ModelFiles.MNIST;
        }

        @Override
        public Sample sample(int i, int count, SplittableRandom random) {
            return generator.sample(i, count, random);
        }
    }
}
