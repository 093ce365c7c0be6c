package io.mlguard.demo.model;

import io.mlguard.demo.data.Dataset;
import java.util.SplittableRandom;

/**
 * Trains an {@link Mlp} with mini-batch Adam on softmax cross-entropy. Single-threaded on purpose:
 * a fixed order of floating-point operations is what makes a seed reproduce the same weights.
 */
public final class MlpTrainer {
    /** Receives the mean training loss after each epoch. */
    @FunctionalInterface
    public interface EpochListener {
        /** Called after epoch {@code epoch} (1-based). */
        void epochDone(int epoch, double meanLoss);
    }

    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;
    private static final float EPSILON = 1e-8f;

    private final TrainingConfig config;

    /** A trainer with the given hyper-parameters. */
    public MlpTrainer(TrainingConfig config) {
        this.config = config;
    }

    /** Trains a fresh model on {@code data}. */
    public Mlp train(Dataset data) {
        return train(data, (epoch, loss) -> {});
    }

    /** Trains a fresh model on {@code data}, reporting progress to {@code listener}. */
    public Mlp train(Dataset data, EpochListener listener) {
        SplittableRandom random = new SplittableRandom(config.seed());
        Mlp model = new Mlp();
        heInit(model.w1, Mlp.INPUTS, random);
        heInit(model.w2, Mlp.HIDDEN, random);

        Gradients grads = new Gradients();
        Adam adam = new Adam();
        int[] order = new int[data.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        float[] shifted = new float[Mlp.INPUTS];
        for (int epoch = 1; epoch <= config.epochs(); epoch++) {
            shuffle(order, random);
            // linear decay to a tenth: large steps early, fine-tuning at the end
            float progress = (epoch - 1) / (float) config.epochs();
            float lr = config.learningRate() * (1f - 0.9f * progress);
            double lossSum = 0;
            for (int start = 0; start < order.length; start += config.batchSize()) {
                int end = Math.min(order.length, start + config.batchSize());
                grads.clear();
                for (int k = start; k < end; k++) {
                    int idx = order[k];
                    float[] x = data.image(idx);
                    if (config.augment()) {
                        shift(x, shifted, random.nextInt(3) - 1, random.nextInt(3) - 1);
                        x = shifted;
                    }
                    lossSum += grads.accumulate(model, x, data.label(idx));
                }
                adam.step(model, grads, lr, 1f / (end - start));
            }
            listener.epochDone(epoch, lossSum / order.length);
        }
        return model;
    }

    private static void heInit(float[] w, int fanIn, SplittableRandom random) {
        double std = Math.sqrt(2.0 / fanIn);
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (gaussian(random) * std);
        }
    }

    /** Box-Muller; SplittableRandom has no nextGaussian on Java 17. */
    private static double gaussian(SplittableRandom random) {
        double u1 = 1.0 - random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    private static void shuffle(int[] a, SplittableRandom random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** Translates a 28 x 28 image by (dx, dy) pixels, filling with background. */
    private static void shift(float[] src, float[] dst, int dx, int dy) {
        for (int y = 0; y < 28; y++) {
            int sy = y - dy;
            for (int x = 0; x < 28; x++) {
                int sx = x - dx;
                boolean inside = sy >= 0 && sy < 28 && sx >= 0 && sx < 28;
                dst[y * 28 + x] = inside ? src[sy * 28 + sx] : 0f;
            }
        }
    }

    /** Gradient sums over one mini-batch, plus the scratch buffers of a forward pass. */
    private static final class Gradients {
        final float[] w1 = new float[Mlp.INPUTS * Mlp.HIDDEN];
        final float[] b1 = new float[Mlp.HIDDEN];
        final float[] w2 = new float[Mlp.HIDDEN * Mlp.OUTPUTS];
        final float[] b2 = new float[Mlp.OUTPUTS];
        private final float[] hidden = new float[Mlp.HIDDEN];
        private final float[] out = new float[Mlp.OUTPUTS];
        private final float[] dHidden = new float[Mlp.HIDDEN];

        void clear() {
            java.util.Arrays.fill(w1, 0f);
            java.util.Arrays.fill(b1, 0f);
            java.util.Arrays.fill(w2, 0f);
            java.util.Arrays.fill(b2, 0f);
        }

        /** Adds the gradient of one example's loss; returns that loss. */
        double accumulate(Mlp m, float[] x, int label) {
            m.forward(x, hidden, out);
            double loss = -Math.log(Math.max(out[label], 1e-12f));
            // softmax + cross-entropy: dLoss/dLogits = p - onehot(label)
            out[label] -= 1f;
            for (int o = 0; o < Mlp.OUTPUTS; o++) {
                b2[o] += out[o];
            }
            for (int h = 0; h < Mlp.HIDDEN; h++) {
                float a = hidden[h];
                int row = h * Mlp.OUTPUTS;
                float d = 0f;
                for (int o = 0; o < Mlp.OUTPUTS; o++) {
                    w2[row + o] += a * out[o];
                    d += m.w2[row + o] * out[o];
                }
                // ReLU passes the gradient only where the unit was active
                dHidden[h] = a > 0f ? d : 0f;
            }
            for (int h = 0; h < Mlp.HIDDEN; h++) {
                b1[h] += dHidden[h];
            }
            for (int i = 0; i < Mlp.INPUTS; i++) {
                float xi = x[i];
                if (xi != 0f) {
                    int row = i * Mlp.HIDDEN;
                    for (int h = 0; h < Mlp.HIDDEN; h++) {
                        w1[row + h] += xi * dHidden[h];
                    }
                }
            }
            return loss;
        }
    }

    /** Adam moment estimates for every parameter array. */
    private static final class Adam {
        private final Moments w1 = new Moments(Mlp.INPUTS * Mlp.HIDDEN);
        private final Moments b1 = new Moments(Mlp.HIDDEN);
        private final Moments w2 = new Moments(Mlp.HIDDEN * Mlp.OUTPUTS);
        private final Moments b2 = new Moments(Mlp.OUTPUTS);
        private int t;

        void step(Mlp m, Gradients g, float lr, float scale) {
            t++;
            float c1 = 1f - (float) Math.pow(BETA1, t);
            float c2 = 1f - (float) Math.pow(BETA2, t);
            float stepSize = lr * (float) Math.sqrt(c2) / c1;
            w1.update(m.w1, g.w1, scale, stepSize);
            b1.update(m.b1, g.b1, scale, stepSize);
            w2.update(m.w2, g.w2, scale, stepSize);
            b2.update(m.b2, g.b2, scale, stepSize);
        }
    }

    private static final class Moments {
        private final float[] m;
        private final float[] v;

        Moments(int n) {
            m = new float[n];
            v = new float[n];
        }

        void update(float[] param, float[] gradSum, float scale, float stepSize) {
            for (int i = 0; i < param.length; i++) {
                float g = gradSum[i] * scale;
                m[i] = BETA1 * m[i] + (1f - BETA1) * g;
                v[i] = BETA2 * v[i] + (1f - BETA2) * g * g;
                param[i] -= stepSize * m[i] / ((float) Math.sqrt(v[i]) + EPSILON);
            }
        }
    }
}
