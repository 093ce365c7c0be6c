package io.mlguard.benchmarks;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
        if (Boolean.getBoolean("mlguard.bench.broadProfiles")) {
            broadenProfiles();
        }
    }

    /**
     * With {@code -Dmlguard.bench.broadProfiles=true}: iterates plain {@code HashSet}s and copies
     * them into {@code ArrayList}s, as any server framework does, before the benchmark. In a JVM
     * that never did, the JIT's type profiles of {@code HashSet.iterator()} and {@code
     * ArrayList(Collection)} name one class each, and C2 scalar-replaces two temporaries of ONNX
     * Runtime's own ({@code OrtSession.run}'s iterator over the output names, 32 B, and {@code
     * Result}'s {@code Arrays.asList} wrapper, 24 B); once those profiles name a second class, it
     * allocates them. The agent's start is enough to do that, which made them look like the agent's
     * allocation; this puts the baseline in the same state.
     */
    private static void broadenProfiles() {
        Set<Integer> plain = new HashSet<>(List.of(1, 2, 3));
        Set<Integer> linked = new LinkedHashSet<>(List.of(1, 2, 3));
        long sum = 0;
        for (int i = 0; i < 50_000; i++) {
            for (int v : (i % 2 == 0 ? plain : linked)) {
                sum += v;
            }
            sum += new ArrayList<>(i % 2 == 0 ? plain : linked).size();
        }
        if (sum == 42) {
            throw new AssertionError(); // keeps the loop from being dropped
        }
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
