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
}
