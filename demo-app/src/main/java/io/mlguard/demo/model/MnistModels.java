package io.mlguard.demo.model;

import io.mlguard.demo.data.MnistData;

/** Trains the MNIST model the way the {@code train} command and the traffic generator need it. */
public final class MnistModels {
    private MnistModels() {}

    /** A trained (and possibly tampered) model with its held-out accuracy. */
    public record Trained(Mlp model, double heldOutAccuracy, long trainMillis) {
        /** The model as ONNX bytes. */
        public byte[] onnxBytes() {
            return OnnxExporter.toBytes(model);
        }
    }

    /** Trains on the MNIST training split and measures accuracy on the held-out split. */
    public static Trained train(
            TrainingConfig config, Variant variant, MlpTrainer.EpochListener listener) {
        MnistData data = MnistData.load();
        long start = System.nanoTime();
        Mlp trained = new MlpTrainer(config).train(data.training(), listener);
        long millis = (System.nanoTime() - start) / 1_000_000;
        Mlp model = variant.apply(trained);
        return new Trained(model, model.accuracy(data.heldOut()), millis);
    }
}
