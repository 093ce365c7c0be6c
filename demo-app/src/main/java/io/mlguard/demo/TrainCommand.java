package io.mlguard.demo;

import io.mlguard.demo.model.CreditModels;
import io.mlguard.demo.model.MnistModels;
import io.mlguard.demo.model.ModelFiles;
import io.mlguard.demo.model.TrainingConfig;
import io.mlguard.demo.model.Variant;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/**
 * {@code train --models DIR [--seed N] [--epochs N] [--variant normal|tampered]}: writes the MNIST
 * model (the options apply to it) and the credit model.
 */
final class TrainCommand {
    private TrainCommand() {}

    static int run(String[] argv) throws Exception {
        Args args = Args.parse(argv, Set.of("models", "seed", "epochs", "variant"), Set.of());
        Path models = args.requiredPath("models");
        long seed = args.getLong("seed", TrainingConfig.DEFAULT_SEED);
        int epochs = args.getInt("epochs", TrainingConfig.DEFAULT_EPOCHS, 1, 1000);
        Variant variant = Variant.parse(args.get("variant", "normal"));

        MnistModels.Trained trained =
                MnistModels.train(
                        TrainingConfig.of(seed, epochs),
                        variant,
                        (epoch, loss) ->
                                System.out.printf(
                                        Locale.ROOT,
                                        "epoch %d/%d loss %.4f%n",
                                        epoch,
                                        epochs,
                                        loss));
        Path target = ModelFiles.modelPath(models, ModelFiles.MNIST, 1);
        ModelFiles.writeAtomically(target, trained.onnxBytes());
        System.out.printf(
                Locale.ROOT,
                "trained %s model (seed %d, %d epochs) in %.1f s%n"
                        + "held-out accuracy %.4f (%d digits)%nwrote %s%n",
                variant.name().toLowerCase(Locale.ROOT),
                seed,
                epochs,
                trained.trainMillis() / 1000.0,
                trained.heldOutAccuracy(),
                io.mlguard.demo.data.MnistData.load().heldOut().size(),
                target);

        // the credit model does not depend on the options: it is convex and trains in a blink
        CreditModels.Trained credit = CreditModels.train();
        Path creditFile = CreditModels.write(models, credit);
        System.out.printf(
                Locale.ROOT,
                "trained credit model: held-out accuracy %.4f, AUC %.4f (%d applicants)%n"
                        + "wrote %s and %s%n",
                credit.heldOutAccuracy(),
                credit.heldOutAuc(),
                io.mlguard.demo.data.CreditData.load().heldOut().size(),
                creditFile,
                creditFile.resolveSibling(CreditModels.FEATURES_FILE));
        return 0;
    }
}
