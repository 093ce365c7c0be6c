package io.mlguard.core.summary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.mlguard.protocol.DType;
import io.mlguard.protocol.TensorSummary;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class TensorSummarizerTest {
    private final TensorSummarizer summarizer = new TensorSummarizer(1024, 3);

    static ByteBuffer floats(float... v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            b.putFloat(f);
        }
        return b;
    }

    @Test
    void statisticsOfASmallTensorAreExact() {
        TensorSummary s = new TensorSummary();
        summarizer.summarize(
                floats(1, 2, 3, 4, 0, Float.NaN, Float.NEGATIVE_INFINITY), DType.FLOAT32, 7, s);
        assertThat(s.count).isEqualTo(7);
        assertThat(s.sampled).isEqualTo(7);
        assertThat(s.min).isEqualTo(0);
        assertThat(s.max).isEqualTo(4);
        assertThat(s.mean).isEqualTo(2);
        assertThat(s.std).isCloseTo(Math.sqrt(2), within(1e-12));
        assertThat(s.nanCount).isEqualTo(1);
        assertThat(s.infCount).isEqualTo(1);
        assertThat(s.zeroFraction).isEqualTo(1f / 7);
        assertThat(s.l2Norm).isCloseTo(Math.sqrt(30), within(1e-12));
    }

    @Test
    void integerTypesAreReadWithTheirOwnWidthAndSign() {
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(-5).putLong(7);
        TensorSummary s = new TensorSummary();
        summarizer.summarize(b, DType.INT64, 2, s);
        assertThat(s.min).isEqualTo(-5);
        assertThat(s.max).isEqualTo(7);

        ByteBuffer u8 = ByteBuffer.wrap(new byte[] {(byte) 255, 0, 1});
        TensorSummary t = new TensorSummary();
        summarizer.summarize(u8, DType.UINT8, 3, t);
        assertThat(t.max).isEqualTo(255);
        assertThat(t.zeroFraction).isEqualTo(1f / 3);
    }

    @Test
    void halfPrecisionDecodesLikeIeee754() {
        assertThat(Elements.halfToFloat((short) 0x3c00)).isEqualTo(1f);
        assertThat(Elements.halfToFloat((short) 0xc000)).isEqualTo(-2f);
        assertThat(Elements.halfToFloat((short) 0x7bff)).isEqualTo(65504f);
        assertThat(Elements.halfToFloat((short) 0x0001)).isEqualTo((float) Math.pow(2, -24));
        assertThat(Elements.halfToFloat((short) 0x7c00)).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(Elements.halfToFloat((short) 0x7e00)).isNaN();
    }

    @Test
    void largeTensorsAreSampledAtFixedPositionsWithinTheBound() {
        float[] v = new float[100_000];
        for (int i = 0; i < v.length; i++) {
            v[i] = i % 10;
        }
        TensorSummary s = new TensorSummary();
        new TensorSummarizer(1000, 3).summarize(floats(v), DType.FLOAT32, v.length, s);
        assertThat(s.count).isEqualTo(100_000);
        assertThat(s.sampled).isLessThanOrEqualTo(1000).isGreaterThan(900);
        assertThat(s.l2Norm)
                .as("the norm is estimated for the whole tensor")
                .isCloseTo(Math.sqrt(100_000 * 28.5), within(Math.sqrt(100_000 * 28.5) * 0.2));
    }

    @Test
    void topKMarginAndEntropyOfProbabilities() {
        TensorSummary s = new TensorSummary();
        summarizer.classify(floats(0.1f, 0.6f, 0.05f, 0.25f), DType.FLOAT32, 4, s);
        assertThat(s.topK).isEqualTo(3);
        assertThat(s.topClasses).startsWith(1, 3, 0);
        assertThat(s.topScores).startsWith(0.6f, 0.25f, 0.1f);
        assertThat(s.margin).isCloseTo(0.35f, within(1e-6f));
        double h =
                -(0.1 * Math.log(0.1)
                        + 0.6 * Math.log(0.6)
                        + 0.05 * Math.log(0.05)
                        + 0.25 * Math.log(0.25));
        assertThat((double) s.entropy).isCloseTo(h, within(1e-6));
    }

    @Test
    void logitsAreReadThroughASoftmax() {
        TensorSummary s = new TensorSummary();
        summarizer.classify(floats(2f, 0f, -1f), DType.FLOAT32, 3, s);
        double z = Math.exp(2) + 1 + Math.exp(-1);
        assertThat(s.topClasses).startsWith(0, 1, 2);
        assertThat((double) s.topScores[0]).isCloseTo(Math.exp(2) / z, within(1e-6));
        double h = 0;
        for (double p : new double[] {Math.exp(2) / z, 1 / z, Math.exp(-1) / z}) {
            h -= p * Math.log(p);
        }
        assertThat((double) s.entropy).isCloseTo(h, within(1e-6));
    }

    /** The one-pass entropy of logits against -sum(p log p) over a softmax computed apart. */
    @Test
    void entropyOfManyLogitsMatchesTheSoftmaxDefinition() {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(3);
        for (int classes : new int[] {2, 10, 384, 30522}) {
            float[] logits = new float[classes];
            for (int c = 0; c < classes; c++) {
                logits[c] = (float) (rnd.nextGaussian() * 4);
            }
            logits[classes / 2] = Float.NEGATIVE_INFINITY; // a class ruled out
            double max = Double.NEGATIVE_INFINITY;
            for (float v : logits) {
                max = Math.max(max, v);
            }
            double z = 0;
            for (float v : logits) {
                z += Math.exp(v - max);
            }
            double h = 0;
            for (float v : logits) {
                double p = Math.exp(v - max) / z;
                if (p > 0) {
                    h -= p * Math.log(p);
                }
            }
            TensorSummary s = new TensorSummary();
            new TensorSummarizer(1 << 16, 3).classify(floats(logits), DType.FLOAT32, classes, s);
            assertThat((double) s.entropy).as("%d classes", classes).isCloseTo(h, within(1e-5 * h));
            assertThat(s.entropy).isGreaterThanOrEqualTo(0f);
        }
    }
}
