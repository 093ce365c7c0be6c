package io.mlguard.demo.model;

import io.mlguard.demo.data.Dataset;

/**
 * A two-layer perceptron 784 -> 128 (ReLU) -> 10 (softmax) with float weights. Weight matrices are
 * stored row-major as [inputs][outputs], which is the layout ONNX {@code Gemm} expects for {@code
 * B} without transposition, so the exporter writes them as they are.
 */
public final class Mlp {
    /** Input features (28 x 28 pixels). */
    public static final int INPUTS = 784;

    /** Hidden units. */
    public static final int HIDDEN = 128;

    /** Output classes. */
    public static final int OUTPUTS = 10;

    final float[] w1 = new float[INPUTS * HIDDEN];
    final float[] b1 = new float[HIDDEN];
    final float[] w2 = new float[HIDDEN * OUTPUTS];
    final float[] b2 = new float[OUTPUTS];

    Mlp() {}

    /** Class probabilities for one image of {@value #INPUTS} pixels. */
    public float[] probabilities(float[] x) {
        float[] hidden = new float[HIDDEN];
        float[] out = new float[OUTPUTS];
        forward(x, hidden, out);
        return out;
    }

    /** The most probable class for one image. */
    public int predict(float[] x) {
        return argMax(probabilities(x));
    }

    /**
     * The gradient of the logit of class {@code cls} with respect to the input pixels: what a
     * substitute model's owner uses to synthesise new queries (Jacobian-based augmentation).
     */
    public float[] inputGradient(float[] x, int cls) {
        float[] hidden = new float[HIDDEN];
        forward(x, hidden, new float[OUTPUTS]);
        float[] grad = new float[INPUTS];
        for (int h = 0; h < HIDDEN; h++) {
            if (hidden[h] > 0f) {
                float back = w2[h * OUTPUTS + cls];
                for (int i = 0; i < INPUTS; i++) {
                    grad[i] += w1[i * HIDDEN + h] * back;
                }
            }
        }
        return grad;
    }

    /** Fraction of the data set predicted correctly. */
    public double accuracy(Dataset data) {
        float[] hidden = new float[HIDDEN];
        float[] out = new float[OUTPUTS];
        int correct = 0;
        for (int i = 0; i < data.size(); i++) {
            forward(data.image(i), hidden, out);
            if (argMax(out) == data.label(i)) {
                correct++;
            }
        }
        return data.size() == 0 ? 0 : (double) correct / data.size();
    }

    /**
     * A copy whose output units {@code a} and {@code b} trade places: the model then answers "a"
     * whenever it sees a "b" and vice versa, a label-flipping tamper that is invisible from the
     * file's shape or size.
     */
    public Mlp withSwappedClasses(int a, int b) {
        Mlp copy = copy();
        for (int h = 0; h < HIDDEN; h++) {
            float t = copy.w2[h * OUTPUTS + a];
            copy.w2[h * OUTPUTS + a] = copy.w2[h * OUTPUTS + b];
            copy.w2[h * OUTPUTS + b] = t;
        }
        float t = copy.b2[a];
        copy.b2[a] = copy.b2[b];
        copy.b2[b] = t;
        return copy;
    }

    Mlp copy() {
        Mlp copy = new Mlp();
        System.arraycopy(w1, 0, copy.w1, 0, w1.length);
        System.arraycopy(b1, 0, copy.b1, 0, b1.length);
        System.arraycopy(w2, 0, copy.w2, 0, w2.length);
        System.arraycopy(b2, 0, copy.b2, 0, b2.length);
        return copy;
    }

    /**
     * Forward pass into caller-owned buffers (the trainer reuses them). {@code hidden} receives the
     * post-ReLU activations and {@code out} the softmax probabilities.
     */
    void forward(float[] x, float[] hidden, float[] out) {
        System.arraycopy(b1, 0, hidden, 0, HIDDEN);
        for (int i = 0; i < INPUTS; i++) {
            float xi = x[i];
            // most MNIST pixels are 0: skipping them makes the first layer ~5x cheaper
            if (xi != 0f) {
                int row = i * HIDDEN;
                for (int h = 0; h < HIDDEN; h++) {
                    hidden[h] += xi * w1[row + h];
                }
            }
        }
        for (int h = 0; h < HIDDEN; h++) {
            // like ONNX Relu, NaN passes through: it must not be silently cleaned here
            if (hidden[h] < 0f) {
                hidden[h] = 0f;
            }
        }
        System.arraycopy(b2, 0, out, 0, OUTPUTS);
        for (int h = 0; h < HIDDEN; h++) {
            float a = hidden[h];
            if (a != 0f) {
                int row = h * OUTPUTS;
                for (int o = 0; o < OUTPUTS; o++) {
                    out[o] += a * w2[row + o];
                }
            }
        }
        softmaxInPlace(out);
    }

    static void softmaxInPlace(float[] v) {
        float max = Float.NEGATIVE_INFINITY;
        for (float f : v) {
            max = Math.max(max, f);
        }
        float sum = 0f;
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) Math.exp(v[i] - max);
            sum += v[i];
        }
        for (int i = 0; i < v.length; i++) {
            v[i] /= sum;
        }
    }

    static int argMax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }
}
