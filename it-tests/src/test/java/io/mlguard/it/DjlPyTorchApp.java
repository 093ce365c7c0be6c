package io.mlguard.it;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

/**
 * A DJL application on the PyTorch engine (run on the DJL 0.35.1 class path, the one whose native
 * PyTorch comes from Maven): with {@code create DIR} it builds a small MLP with DJL's own layers,
 * initialised from a fixed seed, and saves it; with {@code predict DIR} it loads it back with
 * {@code Criteria} and predicts {@link TestApps#rows()}, printing every answer. Compiled against
 * the DJL API of the build; only API that 0.35.1 has is used.
 */
public final class DjlPyTorchApp {
    static final String NAME = "tiny";

    private DjlPyTorchApp() {}

    static Block block() {
        return new SequentialBlock()
                .add(Linear.builder().setUnits(8).build())
                .add(Activation.reluBlock())
                .add(Linear.builder().setUnits(3).build());
    }

    public static void main(String[] args) throws Exception {
        Path dir = Paths.get(args[1]);
        if (args[0].equals("create")) {
            Engine.getEngine("PyTorch").setRandomSeed(42);
            Files.createDirectories(dir);
            try (Model model = Model.newInstance(NAME, "PyTorch")) {
                Block block = block();
                model.setBlock(block);
                block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 4));
                model.save(dir, NAME);
            }
            System.out.println("answer created " + Engine.getEngine("PyTorch").getVersion());
            return;
        }
        Criteria<NDList, NDList> criteria =
                Criteria.builder()
                        .setTypes(NDList.class, NDList.class)
                        .optModelPath(dir)
                        .optModelName(NAME)
                        .optEngine("PyTorch")
                        .optBlock(block())
                        .optTranslator(new NoopTranslator())
                        .build();
        List<float[][]> plan = TestApps.rows();
        try (ZooModel<NDList, NDList> model = criteria.loadModel();
                Predictor<NDList, NDList> predictor = model.newPredictor();
                NDManager manager = NDManager.newBaseManager("PyTorch")) {
            for (int i = 0; i < plan.size(); i++) {
                float[][] rows = plan.get(i);
                NDList out = predictor.predict(new NDList(manager.create(rows)));
                float[] flat = out.singletonOrThrow().toFloatArray();
                float[][] scores = new float[rows.length][3];
                for (int r = 0; r < rows.length; r++) {
                    System.arraycopy(flat, r * 3, scores[r], 0, 3);
                }
                System.out.println(TestApps.answer("djl-pytorch", i, scores));
            }
        }
    }
}
