package io.mlguard.demo;

import io.mlguard.demo.model.MnistModels;
import io.mlguard.demo.model.ModelFiles;
import io.mlguard.demo.model.TrainingConfig;
import io.mlguard.demo.model.Variant;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Models trained once per test JVM and shared by every test class: training dominates the test run
 * time, and surefire runs all classes in one JVM.
 */
public final class TestModels {
    /** Fewer epochs than the command's default; still well above 95 % held-out. */
    public static final int EPOCHS = 10;

    private static MnistModels.Trained normal;
    private static MnistModels.Trained tampered;

    private TestModels() {}

    /** The model trained with the default seed. */
    public static synchronized MnistModels.Trained normal() {
        if (normal == null) {
            normal =
                    MnistModels.train(
                            TrainingConfig.of(TrainingConfig.DEFAULT_SEED, EPOCHS),
                            Variant.NORMAL,
                            (e, l) -> {});
        }
        return normal;
    }

    /** The same model with the outputs for 1 and 7 swapped. */
    public static synchronized MnistModels.Trained tampered() {
        if (tampered == null) {
            MnistModels.Trained base = normal();
            var model = Variant.TAMPERED.apply(base.model());
            tampered =
                    new MnistModels.Trained(
                            model,
                            model.accuracy(io.mlguard.demo.data.MnistData.load().heldOut()),
                            0);
        }
        return tampered;
    }

    /** Writes {@code dir/mnist/1/model.onnx} with the normal model; returns the file. */
    public static Path writeRepository(Path dir) throws IOException {
        Path file = ModelFiles.modelPath(dir, ModelFiles.MNIST, 1);
        ModelFiles.writeAtomically(file, normal().onnxBytes());
        return file;
    }
}
