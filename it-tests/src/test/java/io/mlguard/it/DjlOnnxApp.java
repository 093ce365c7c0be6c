package io.mlguard.it;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;

/**
 * A DJL application on the ONNX Runtime engine: loads the ONNX file given as its argument with
 * {@code Criteria} and predicts the held-out digits of {@link TestApps#digits()}, printing every
 * answer; then runs the first digit once through ONNX Runtime directly. Runs in a forked JVM, with
 * and without the agent.
 */
public final class DjlOnnxApp {
    private DjlOnnxApp() {}

    public static void main(String[] args) throws Exception {
        Criteria<NDList, NDList> criteria =
                Criteria.builder()
                        .setTypes(NDList.class, NDList.class)
                        .optModelPath(Paths.get(args[0]))
                        .optEngine("OnnxRuntime")
                        .optOption("interOpNumThreads", "1")
                        .optTranslator(new NoopTranslator())
                        .build();
        List<float[][]> plan = TestApps.digits();
        try (ZooModel<NDList, NDList> model = criteria.loadModel();
                Predictor<NDList, NDList> predictor = model.newPredictor();
                NDManager manager = NDManager.newBaseManager("OnnxRuntime")) {
            for (int i = 0; i < plan.size(); i++) {
                float[][] rows = plan.get(i);
                NDList out = predictor.predict(new NDList(manager.create(rows)));
                System.out.println(TestApps.answer("djl-ort", i, scores(out, rows.length)));
            }
        }
        // ONNX Runtime called directly, once: its own hooks are live in this JVM too, so the
        // absence of ONNX Runtime records during the DJL predictions is the nesting guard's doing
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(args[0]);
                OnnxTensor x = OnnxTensor.createTensor(env, plan.get(0));
                OrtSession.Result r = session.run(Map.of("input", x))) {
            float[][] probs = (float[][]) r.get("probabilities").orElseThrow().getValue();
            System.out.println(TestApps.answer("ort-direct", 0, probs));
        }
    }

    static float[][] scores(NDList out, int rows) {
        for (NDArray a : out) {
            long[] shape = a.getShape().getShape();
            if (shape.length == 2 && shape[1] == 10) {
                float[] flat = a.toFloatArray();
                float[][] s = new float[rows][10];
                for (int r = 0; r < rows; r++) {
                    System.arraycopy(flat, r * 10, s[r], 0, 10);
                }
                return s;
            }
        }
        throw new IllegalStateException("no [n, 10] output in " + out);
    }
}
