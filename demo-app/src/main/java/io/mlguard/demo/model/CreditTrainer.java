package io.mlguard.demo.model;

import io.mlguard.demo.data.CreditData;
import java.util.List;

/**
 * Fits a {@link CreditClassifier} by full-batch Adam on L2-regularised cross-entropy. The loss is
 * convex and every step sees every row in the same order, so the result needs no seed and is the
 * same on every run.
 */
public final class CreditTrainer {
    private static final int STEPS = 400;
    private static final float LEARNING_RATE = 0.05f;
    private static final float L2 = 0.01f;

    private CreditTrainer() {}

    /** Trains on {@code table} encoded with {@code encoding}. */
    public static CreditClassifier train(FeatureEncoding encoding, CreditData.Table table) {
        CreditClassifier model = new CreditClassifier(encoding);
        List<double[]> rows = table.rows();
        float[][] z = new float[rows.size()][];
        for (int r = 0; r < z.length; r++) {
            z[r] = model.standardise(encoding.encode(rows.get(r)));
        }
        int outputs = CreditClassifier.OUTPUTS;
        float[] gw = new float[model.w.length];
        float[] gb = new float[outputs];
        float[] mw = new float[gw.length];
        float[] vw = new float[gw.length];
        float[] mb = new float[outputs];
        float[] vb = new float[outputs];
        float[] p = new float[outputs];
        for (int step = 1; step <= STEPS; step++) {
            java.util.Arrays.fill(gw, 0f);
            java.util.Arrays.fill(gb, 0f);
            for (int r = 0; r < z.length; r++) {
                model.forward(z[r], p);
                p[table.labels()[r]] -= 1f; // dLoss/dLogits for softmax cross-entropy
                for (int o = 0; o < outputs; o++) {
                    gb[o] += p[o];
                    for (int i = 0; i < z[r].length; i++) {
                        gw[i * outputs + o] += z[r][i] * p[o];
                    }
                }
            }
            float n = z.length;
            for (int i = 0; i < gw.length; i++) {
                gw[i] = gw[i] / n + L2 * model.w[i];
            }
            for (int o = 0; o < outputs; o++) {
                gb[o] /= n;
            }
            adam(model.w, gw, mw, vw, step);
            adam(model.b, gb, mb, vb, step);
        }
        return model;
    }

    private static void adam(float[] param, float[] g, float[] m, float[] v, int t) {
        float c1 = 1f - (float) Math.pow(0.9, t);
        float c2 = 1f - (float) Math.pow(0.999, t);
        for (int i = 0; i < param.length; i++) {
            m[i] = 0.9f * m[i] + 0.1f * g[i];
            v[i] = 0.999f * v[i] + 0.001f * g[i] * g[i];
            param[i] -= LEARNING_RATE * (m[i] / c1) / ((float) Math.sqrt(v[i] / c2) + 1e-8f);
        }
    }
}
