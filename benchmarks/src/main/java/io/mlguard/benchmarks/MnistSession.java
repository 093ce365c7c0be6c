package io.mlguard.benchmarks;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.Random;

/**
 * The MNIST MLP session and the one digit-like input the ONNX Runtime benchmarks run: the model
 * from {@code -Dmlguard.bench.model} (run-jmh.sh trains it with the demo app), one intra-op thread,
 * a fixed sparse input.
 */
final class MnistSession implements AutoCloseable {
    final OrtSession session;
    final OnnxTensor input;
    final Map<String, OnnxTensor> inputs;

    MnistSession() throws OrtException {
        String model = System.getProperty("mlguard.bench.model");
        if (model == null) {
            throw new IllegalStateException("set -Dmlguard.bench.model to an MNIST ONNX model");
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(1);
        session = env.createSession(model, options);
        float[] digit = new float[784];
        Random rnd = new Random(7);
        for (int i = 0; i < digit.length; i++) {
            digit[i] = rnd.nextFloat() < 0.8f ? 0f : rnd.nextFloat();
        }
        input = OnnxTensor.createTensor(env, FloatBuffer.wrap(digit), new long[] {1, 784});
        inputs = Map.of("input", input);
    }

    @Override
    public void close() throws OrtException {
        input.close();
        session.close();
    }
}
