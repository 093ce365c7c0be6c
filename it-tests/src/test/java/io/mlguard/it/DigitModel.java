package io.mlguard.it;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.mlguard.demo.data.Dataset;
import io.mlguard.demo.data.MnistData;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * What the HTTP test applications serve: the demo MNIST model on ONNX Runtime, run on a business
 * executor of one thread named {@code business} (the handoff every server here makes), answering
 * the held-out digit whose index the request names.
 */
final class DigitModel {
    final ExecutorService business =
            Executors.newSingleThreadExecutor(
                    r -> {
                        Thread t = new Thread(r, "business");
                        t.setDaemon(true);
                        return t;
                    });
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final Dataset heldOut = MnistData.load().heldOut();

    DigitModel(String modelFile) throws Exception {
        session = env.createSession(modelFile);
    }

    /** The answer line for digit {@code index}, and the thread that computed it. */
    String answer(String tag, int index) throws Exception {
        float[][] x = {heldOut.image(index)};
        try (OnnxTensor t = OnnxTensor.createTensor(env, x);
                OrtSession.Result r = session.run(Map.of("input", t))) {
            float[][] probs = (float[][]) r.get("probabilities").orElseThrow().getValue();
            return TestApps.answer(tag, index, probs) + " @" + Thread.currentThread().getName();
        }
    }

    /** The digit index a request body names. */
    static int index(String body) {
        return Integer.parseInt(body.trim());
    }
}
