package io.mlguard.benchmarks;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.Map;
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
    private MnistSession mnist;
    private OrtSession session;
    private Map<String, OnnxTensor> inputs;

    @Setup(Level.Trial)
    public void setUp() throws OrtException {
        mnist = new MnistSession();
        session = mnist.session;
        inputs = mnist.inputs;
    }

    @Benchmark
    public long infer() throws OrtException {
        try (OrtSession.Result r = session.run(inputs)) {
            return ((long[]) r.get(1).getValue())[0];
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws OrtException {
        mnist.close();
    }
}
