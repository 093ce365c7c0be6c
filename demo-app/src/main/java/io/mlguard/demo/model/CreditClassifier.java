package io.mlguard.demo.model;

/**
 * Multinomial logistic regression over the {@link FeatureEncoding} of a credit application: the raw
 * input is standardised ({@code (x - mean) * scale}), multiplied by {@code w} ([inputs][2], Gemm's
 * layout) plus {@code b}, and passed through a softmax. Class 0 is {@code good}, 1 {@code bad}.
 */
public final class CreditClassifier {
    /** Output classes. */
    public static final int OUTPUTS = 2;

    private final FeatureEncoding encoding;
    final float[] w;
    final float[] b = new float[OUTPUTS];

    CreditClassifier(FeatureEncoding encoding) {
        this.encoding = encoding;
        this.w = new float[encoding.width() * OUTPUTS];
    }

    /** The encoding whose vectors this model reads. */
    public FeatureEncoding encoding() {
        return encoding;
    }

    /** Class probabilities of one raw input vector. */
    public float[] probabilities(float[] raw) {
        float[] out = new float[OUTPUTS];
        forward(standardise(raw), out);
        return out;
    }

    /** The most probable class of one raw input vector. */
    public int predict(float[] raw) {
        return Mlp.argMax(probabilities(raw));
    }

    /** The standardised copy of a raw input vector, as the graph computes it. */
    float[] standardise(float[] raw) {
        float[] mean = encoding.mean();
        float[] scale = encoding.scale();
        float[] z = new float[raw.length];
        for (int i = 0; i < raw.length; i++) {
            z[i] = (raw[i] - mean[i]) * scale[i];
        }
        return z;
    }

    /** Softmax of the logits of a standardised vector, into {@code out}. */
    void forward(float[] z, float[] out) {
        for (int o = 0; o < OUTPUTS; o++) {
            float sum = b[o];
            for (int i = 0; i < z.length; i++) {
                sum += z[i] * w[i * OUTPUTS + o];
            }
            out[o] = sum;
        }
        Mlp.softmaxInPlace(out);
    }
}
