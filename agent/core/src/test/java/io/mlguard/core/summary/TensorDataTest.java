package io.mlguard.core.summary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.mlguard.protocol.DType;
import io.mlguard.protocol.InferenceRecord;
import io.mlguard.protocol.TensorSummary;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The copied float path must give exactly what reading the buffer in place gives. */
class TensorDataTest {
    private final TensorSummarizer summarizer = new TensorSummarizer(65536, 5);

    static float[] digit(int n, long seed) {
        Random rnd = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = rnd.nextFloat() < 0.7f ? 0f : rnd.nextFloat() * 3 - 1;
        }
        v[5] = Float.NaN;
        v[17] = Float.POSITIVE_INFINITY;
        return v;
    }

    static ByteBuffer littleEndian(float[] v, boolean direct) {
        ByteBuffer b =
                (direct
                                ? ByteBuffer.allocateDirect(v.length * 4)
                                : ByteBuffer.allocate(v.length * 4))
                        .order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            b.putFloat(f);
        }
        return b.clear();
    }

    static FloatBuffer directFloats(float[] v) {
        FloatBuffer f = littleEndian(v, true).order(ByteOrder.nativeOrder()).asFloatBuffer();
        return f.put(v).clear();
    }

    @Test
    void copiedAndInPlaceReadsAgreeExactly() {
        float[] v = digit(784, 11);
        Buffer[] buffers = {
            FloatBuffer.wrap(v),
            directFloats(v),
            littleEndian(v, false),
            littleEndian(v, true),
            // a view that starts inside a larger buffer: absolute reads from its own 0
            FloatBuffer.wrap(concat(new float[] {42f, 43f}, v), 2, v.length).slice()
        };
        long[] shape = {1, 784};
        for (Buffer b : buffers) {
            TensorData copied = new TensorData(TensorData.DENSE_LIMIT).of(b, DType.FLOAT32, 784);
            TensorData inPlace = new TensorData(0).of(b, DType.FLOAT32, 784);
            for (int i = 0; i < 784; i++) {
                assertThat(Double.doubleToLongBits(copied.get(i)))
                        .as("element %d of %s", i, b)
                        .isEqualTo(Double.doubleToLongBits(inPlace.get(i)));
            }
            TensorSummary a = new TensorSummary();
            TensorSummary c = new TensorSummary();
            summarizer.summarize(copied, 784, a);
            summarizer.summarize(inPlace, 784, c);
            assertThat(a.toString()).isEqualTo(c.toString());
            assertThat(a.l2Norm).isEqualTo(c.l2Norm);
            assertThat(a.zeroFraction).isEqualTo(c.zeroFraction);
            assertThat(a.nanCount).isEqualTo(1);

            TensorData classesCopied =
                    new TensorData(TensorData.DENSE_LIMIT).of(b, DType.FLOAT32, 10);
            TensorData classesInPlace = new TensorData(0).of(b, DType.FLOAT32, 10);
            summarizer.classify(classesCopied, 4, a);
            summarizer.classify(classesInPlace, 4, c);
            assertThat(a.topK).isEqualTo(c.topK).isPositive();
            assertThat(a.topClasses).isEqualTo(c.topClasses);
            assertThat(a.topScores).isEqualTo(c.topScores);
            assertThat(a.entropy).isEqualTo(c.entropy);

            InferenceRecord ra = new InferenceRecord();
            InferenceRecord rc = new InferenceRecord();
            new Fingerprinter().fingerprint(copied, shape, 2, ra);
            new Fingerprinter().fingerprint(inPlace, shape, 2, rc);
            assertThat(ra.fingerprintLength).isEqualTo(64);
            assertThat(ra.fingerprint()).isEqualTo(rc.fingerprint());
        }
    }

    /**
     * The copied loop keeps four partial sums, taking four elements at a time: for every length
     * modulo 4 and every position of a NaN or infinity it must agree bit for bit with the in-place
     * loop, and with one running sum up to rounding.
     */
    @Test
    void partialSumsAgreeWithTheInPlaceLoopAndWithOneRunningSum() {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(5);
        for (int n = 1; n <= 23; n++) {
            for (int special = -1; special < n; special++) {
                float[] v = new float[n];
                for (int i = 0; i < n; i++) {
                    v[i] = rnd.nextInt(4) == 0 ? 0f : (float) rnd.nextDouble(-3, 3);
                }
                if (special >= 0) {
                    v[special] = special % 2 == 0 ? Float.NaN : Float.NEGATIVE_INFINITY;
                }
                FloatBuffer b = FloatBuffer.wrap(v);
                TensorSummary a = new TensorSummary();
                TensorSummary c = new TensorSummary();
                summarizer.summarize(
                        new TensorData(TensorData.DENSE_LIMIT).of(b, DType.FLOAT32, n), n, a);
                summarizer.summarize(new TensorData(0).of(b, DType.FLOAT32, n), n, c);
                String what = "n=" + n + ", special at " + special;
                assertThat(a.toString()).as(what).isEqualTo(c.toString());
                assertThat(Double.doubleToLongBits(a.mean))
                        .as(what)
                        .isEqualTo(Double.doubleToLongBits(c.mean));
                assertThat(Double.doubleToLongBits(a.std))
                        .as(what)
                        .isEqualTo(Double.doubleToLongBits(c.std));
                assertThat(Double.doubleToLongBits(a.l2Norm))
                        .as(what)
                        .isEqualTo(Double.doubleToLongBits(c.l2Norm));
                double sum = 0;
                double sumSq = 0;
                long finite = 0;
                for (float f : v) {
                    if (Float.isFinite(f)) {
                        sum += f;
                        sumSq += (double) f * f;
                        finite++;
                    }
                }
                assertThat(a.nanCount + a.infCount).as(what).isEqualTo(n - finite);
                if (finite > 0) {
                    assertThat(a.mean).as(what).isCloseTo(sum / finite, within(1e-12));
                    assertThat(a.l2Norm).as(what).isCloseTo(Math.sqrt(sumSq), within(1e-12));
                }
            }
        }
    }

    @Test
    void readsBeyondTheCopyComeFromTheBuffer() {
        float[] v = digit(100, 3);
        TensorData d =
                new TensorData(TensorData.DENSE_LIMIT).of(FloatBuffer.wrap(v), DType.FLOAT32, 10);
        assertThat(d.available()).isEqualTo(100);
        assertThat(d.get(9)).isEqualTo(v[9]);
        assertThat(d.get(99)).isEqualTo(v[99]);
    }

    @Test
    void aTensorLargerThanTheLimitIsReadInPlaceAndReleaseForgetsIt() {
        float[] v = digit(300, 5);
        TensorData d = new TensorData(200).of(FloatBuffer.wrap(v), DType.FLOAT32, 300);
        assertThat(d.get(250)).isEqualTo(v[250]);
        d.release();
        assertThat(d.present()).isFalse();
        assertThat(d.available()).isZero();
    }

    @Test
    void theCopyDoesNotMoveTheBuffer() {
        FloatBuffer f = FloatBuffer.wrap(digit(50, 1));
        f.position(7);
        new TensorData().of(f, DType.FLOAT32, 50);
        assertThat(f.position()).isEqualTo(7);
    }

    /**
     * A staged float tensor is copied through a view of its stage buffer, made once per buffer: it
     * must read the tensor at its own offset, in whichever buffer it was staged, when the buffers
     * alternate (an arena that grew, a capture that kept the old buffer), and leave the buffer's
     * position and order as they were.
     */
    @Test
    void stagedCopiesReadTheirOwnBufferAtTheirOwnOffset() {
        float[] v = digit(300, 21);
        float[] w = digit(200, 22);
        ByteBuffer first = littleEndian(concat(new float[] {1f, 2f, 3f}, v), false);
        ByteBuffer second = littleEndian(concat(new float[5], concat(w, v)), false);
        first.position(8);
        TensorData d = new TensorData();
        Object[][] reads = {
            {first, 3, v}, {second, 5, w}, {second, 205, v}, {first, 3, v}, {second, 5, w}
        };
        for (Object[] read : reads) {
            ByteBuffer stage = (ByteBuffer) read[0];
            int offset = (Integer) read[1];
            float[] expected = (float[]) read[2];
            d.ofStaged(stage, DType.FLOAT32, offset, expected.length);
            assertThat(d.copied()).isEqualTo(expected.length);
            for (int i = 0; i < expected.length; i++) {
                assertThat(Float.floatToRawIntBits(d.dense()[i]))
                        .as("element %d at offset %d", i, offset)
                        .isEqualTo(Float.floatToRawIntBits(expected[i]));
            }
            TensorSummary staged = new TensorSummary();
            TensorSummary direct = new TensorSummary();
            summarizer.summarize(d, expected.length, staged);
            d.release();
            summarizer.summarize(
                    FloatBuffer.wrap(expected), DType.FLOAT32, expected.length, direct);
            assertThat(staged.toString()).isEqualTo(direct.toString());
            assertThat(staged.l2Norm).isEqualTo(direct.l2Norm);
        }
        assertThat(first.position()).isEqualTo(8);
        assertThat(first.order()).isEqualTo(ByteOrder.LITTLE_ENDIAN);
    }

    private static float[] concat(float[] a, float[] b) {
        float[] c = new float[a.length + b.length];
        System.arraycopy(a, 0, c, 0, a.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
