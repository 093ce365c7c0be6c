package io.mlguard.benchmarks;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One MNIST MLP inference on ONNX Runtime ({@code OrtSession.run}). Subclasses differ only in their
 * forks' JVM flags, so that the run with the agent and the baseline without it are measured in the
 * same JMH run: their difference is the time the agent adds per inference.
 *
 * <p>The model comes from {@code -Dmlguard.bench.model} (run-jmh.sh trains it with the demo app).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public abstract class OrtInference {
    private OrtEnvironment env;
    private OrtSession session;
    private OnnxTensor input;
    private Map<String, OnnxTensor> inputs;

    @Setup(Level.Trial)
    public void setUp() throws OrtException {
        String model = System.getProperty("mlguard.bench.model");
        if (model == null) {
            throw new IllegalStateException("set -Dmlguard.bench.model to an MNIST ONNX model");
        }
        env = OrtEnvironment.getEnvironment();
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

    @Benchmark
    public long infer() throws OrtException {
        try (OrtSession.Result r = session.run(inputs)) {
            return ((long[]) r.get(1).getValue())[0];
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws OrtException {
        input.close();
        session.close();
    }
}
