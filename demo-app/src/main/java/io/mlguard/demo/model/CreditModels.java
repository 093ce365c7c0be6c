package io.mlguard.demo.model;

import io.mlguard.demo.Json;
import io.mlguard.demo.data.CreditData;
import java.io.IOException;
import java.nio.file.Path;

/** Trains the credit model and writes it, with its feature description, into a repository. */
public final class CreditModels {
    /** Name of the credit model in the repository. */
    public static final String NAME = "credit";

    /** File beside {@code model.onnx} that tells clients how to build an input vector. */
    public static final String FEATURES_FILE = "features.json";

    private CreditModels() {}

    /** A trained model with its held-out accuracy and ROC AUC (for class {@code bad}). */
    public record Trained(CreditClassifier model, double heldOutAccuracy, double heldOutAuc) {
        /** The model as ONNX bytes. */
        public byte[] onnxBytes() {
            return CreditOnnxExporter.toBytes(model);
        }
    }

    /** Fits the encoding and the model on the training rows; measures on the held-out ones. */
    public static Trained train() {
        CreditData data = CreditData.load();
        FeatureEncoding encoding = FeatureEncoding.fit(data.features(), data.training().rows());
        CreditClassifier model = CreditTrainer.train(encoding, data.training());
        CreditData.Table test = data.heldOut();
        float[] scoreBad = new float[test.size()];
        int correct = 0;
        for (int r = 0; r < test.size(); r++) {
            float[] p = model.probabilities(encoding.encode(test.rows().get(r)));
            scoreBad[r] = p[1];
            if (Mlp.argMax(p) == test.labels()[r]) {
                correct++;
            }
        }
        return new Trained(model, correct / (double) test.size(), auc(scoreBad, test.labels()));
    }

    /** Writes {@code DIR/credit/1/model.onnx} and {@code features.json}; returns the model file. */
    public static Path write(Path modelsDir, Trained trained) throws IOException {
        Path file = ModelFiles.modelPath(modelsDir, NAME, 1);
        byte[] features =
                Json.MAPPER
                        .writerWithDefaultPrettyPrinter()
                        .writeValueAsBytes(
                                trained.model().encoding().describe(CreditData.load().classes()));
        // the description first: a client that sees the model can then always read it
        ModelFiles.writeAtomically(file.resolveSibling(FEATURES_FILE), features);
        ModelFiles.writeAtomically(file, trained.onnxBytes());
        return file;
    }

    /**
     * Probability that a random positive ({@code label 1}) outscores a random negative, ties
     * counting half (the Mann-Whitney form of the ROC AUC).
     */
    static double auc(float[] score, int[] labels) {
        long pairs = 0;
        double wins = 0;
        for (int i = 0; i < score.length; i++) {
            if (labels[i] != 1) {
                continue;
            }
            for (int j = 0; j < score.length; j++) {
                if (labels[j] == 0) {
                    pairs++;
                    wins += score[i] > score[j] ? 1 : score[i] == score[j] ? 0.5 : 0;
                }
            }
        }
        return pairs == 0 ? Double.NaN : wins / pairs;
    }
}
