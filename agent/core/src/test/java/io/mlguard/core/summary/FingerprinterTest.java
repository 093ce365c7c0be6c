package io.mlguard.core.summary;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlguard.protocol.DType;
import io.mlguard.protocol.InferenceRecord;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FingerprinterTest {
    private final Fingerprinter fingerprinter = new Fingerprinter();

    static float[] blob(int size, int cx, int cy) {
        float[] img = new float[size * size];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double d = Math.hypot(x - cx, y - cy);
                img[y * size + x] = (float) Math.max(0, 1 - d / (size / 4.0));
            }
        }
        return img;
    }

    static byte[] fingerprint(Fingerprinter f, float[] values, long... shape) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        InferenceRecord r = new InferenceRecord();
        f.fingerprint(b, DType.FLOAT32, shape, shape.length, r);
        return r.fingerprint();
    }

    static int l1(byte[] a, byte[] b) {
        int d = 0;
        for (int i = 0; i < a.length; i++) {
            d += Math.abs((a[i] & 0xff) - (b[i] & 0xff));
        }
        return d;
    }

    @Test
    void nearDuplicatesAreCloseAndDifferentImagesFar() {
        float[] a = blob(28, 8, 8);
        float[] noisy = a.clone();
        Random rnd = new Random(3);
        for (int i = 0; i < noisy.length; i++) {
            noisy[i] += (rnd.nextFloat() - 0.5f) * 0.05f;
        }
        float[] other = blob(28, 20, 20);
        byte[] fa = fingerprint(fingerprinter, a, 1, 784);
        assertThat(fa).hasSize(64);
        int near = l1(fa, fingerprint(fingerprinter, noisy, 1, 784));
        int far = l1(fa, fingerprint(fingerprinter, other, 1, 784));
        assertThat(far).isGreaterThan(10 * Math.max(1, near));
    }

    @Test
    void brightnessAndContrastDoNotMoveTheFingerprint() {
        float[] a = blob(32, 10, 16);
        float[] brighter = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            brighter[i] = a[i] * 0.5f + 0.3f;
        }
        assertThat(
                        l1(
                                fingerprint(fingerprinter, a, 1, 1, 32, 32),
                                fingerprint(fingerprinter, brighter, 1, 1, 32, 32)))
                .isLessThanOrEqualTo(64);
    }

    @Test
    void layoutsAreRecognisedAndOtherInputsPooledFlat() {
        InferenceRecord r = new InferenceRecord();
        ByteBuffer img = ByteBuffer.allocate(3 * 16 * 16 * 4).order(ByteOrder.LITTLE_ENDIAN);
        fingerprinter.fingerprint(img, DType.FLOAT32, new long[] {1, 3, 16, 16}, 4, r);
        assertThat(r.fingerprintKind).isEqualTo(InferenceRecord.FINGERPRINT_POOLED_2D);
        fingerprinter.fingerprint(img, DType.FLOAT32, new long[] {1, 16, 16, 3}, 4, r);
        assertThat(r.fingerprintKind).isEqualTo(InferenceRecord.FINGERPRINT_POOLED_2D);
        ByteBuffer tab = ByteBuffer.allocate(20 * 4).order(ByteOrder.LITTLE_ENDIAN);
        fingerprinter.fingerprint(tab, DType.FLOAT32, new long[] {1, 20}, 2, r);
        assertThat(r.fingerprintKind).isEqualTo(InferenceRecord.FINGERPRINT_POOLED_1D);
        assertThat(r.fingerprintLength).isEqualTo(20);
        fingerprinter.fingerprint(tab, DType.STRING, new long[] {1, 20}, 2, r);
        assertThat(r.fingerprintKind).isEqualTo(InferenceRecord.FINGERPRINT_NONE);
        assertThat(r.fingerprintLength).isZero();
    }

    @Test
    void aShapeLargerThanTheDataIsIgnoredNotReadPastTheEnd() {
        InferenceRecord r = new InferenceRecord();
        ByteBuffer small = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        fingerprinter.fingerprint(small, DType.FLOAT32, new long[] {1, 784}, 2, r);
        assertThat(r.fingerprintKind).isEqualTo(InferenceRecord.FINGERPRINT_NONE);
    }

    /**
     * A copied image is pooled from its array ({@code pool2dDense}), one read in place through the
     * buffer ({@code pool2d}): every cell must come out bit for bit the same, for one and several
     * channels, both channel orders, sizes that do and do not divide by the grid, images larger
     * than the 64 samples per cell, and NaN or infinite pixels anywhere.
     */
    @Test
    void imagesPooledFromACopyEqualThoseReadInPlaceBitForBit() {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(12);
        long[][] shapes = {
            {1, 784},
            {1, 64},
            {1, 4096},
            {1, 28, 28},
            {2, 9, 13},
            {1, 8, 71},
            {1, 100, 30},
            {1, 1, 28, 28},
            {1, 3, 17, 23},
            {1, 4, 8, 8},
            {1, 20, 11, 3},
            {1, 8, 8, 2},
            {1, 3, 64, 80},
            {1, 131, 67}
        };
        for (long[] shape : shapes) {
            int n = 1;
            for (long d : shape) {
                n *= (int) d;
            }
            for (int round = 0; round < 4; round++) {
                java.nio.FloatBuffer b = java.nio.FloatBuffer.allocate(n);
                for (int i = 0; i < n; i++) {
                    int pick = rnd.nextInt(50);
                    b.put(
                            i,
                            pick == 0
                                    ? Float.NaN
                                    : pick == 1
                                            ? Float.POSITIVE_INFINITY
                                            : pick < 10 ? 0f : wide(rnd));
                }
                if (round == 3) { // one whole cell's worth of NaN at the start
                    for (int i = 0; i < Math.min(n, 40); i++) {
                        b.put(i, Float.NaN);
                    }
                }
                Fingerprinter dense = new Fingerprinter();
                Fingerprinter inPlace = new Fingerprinter();
                InferenceRecord rd = new InferenceRecord();
                InferenceRecord ri = new InferenceRecord();
                TensorData copied = new TensorData(TensorData.DENSE_LIMIT).of(b, DType.FLOAT32, n);
                assertThat(copied.copied()).as("copied").isEqualTo(n);
                dense.fingerprint(copied, shape, shape.length, rd);
                inPlace.fingerprint(
                        new TensorData(0).of(b, DType.FLOAT32, n), shape, shape.length, ri);
                String what = java.util.Arrays.toString(shape) + " round " + round;
                assertThat(rd.fingerprintKind)
                        .as(what)
                        .isEqualTo(InferenceRecord.FINGERPRINT_POOLED_2D)
                        .isEqualTo(ri.fingerprintKind);
                for (int i = 0; i < Fingerprinter.CELLS; i++) {
                    assertThat(Double.doubleToLongBits(dense.cell(i)))
                            .as("%s cell %d", what, i)
                            .isEqualTo(Double.doubleToLongBits(inPlace.cell(i)));
                }
                assertThat(rd.fingerprint()).as(what).isEqualTo(ri.fingerprint());
            }
        }
    }

    /**
     * The quantiser's rounding equals {@code Math.round} on its whole range: every tie and its
     * neighbours one ulp away, the doubles next to 0.5 (where adding 0.5 first would round up), and
     * a million random values in [0, 255].
     */
    @Test
    void quantisingRoundsExactlyAsMathRound() {
        java.util.List<Double> xs = new java.util.ArrayList<>();
        for (int k = 0; k <= 255; k++) {
            for (double base : new double[] {k, k + 0.5}) {
                xs.add(base);
                xs.add(Math.nextUp(base));
                xs.add(Math.nextDown(base));
            }
        }
        xs.add(0.49999999999999994);
        xs.add(Math.nextDown(0.49999999999999994));
        xs.add(Double.MIN_VALUE);
        xs.add(0.0);
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(5);
        for (int i = 0; i < 1_000_000; i++) {
            xs.add(rnd.nextDouble(0, 255));
        }
        for (double x : xs) {
            if (x < 0) {
                continue;
            }
            assertThat(Fingerprinter.roundHalfUp(x)).as("%s", x).isEqualTo((int) Math.round(x));
        }
    }

    /**
     * A float of either sign whose magnitude spans 2^-60 to 2^60: sums of a few such values in
     * double are not exact, so an order of summation other than {@code pool2d}'s shows in the bits
     * (values of similar size would sum exactly in any order).
     */
    private static float wide(java.util.SplittableRandom rnd) {
        double m = Math.scalb(rnd.nextDouble(1, 2), rnd.nextInt(-60, 60));
        return (float) (rnd.nextBoolean() ? m : -m);
    }
}
