package io.mlguard.benchmarks;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The MNIST MLP inference with and without the agent in one JVM, taking turns every iteration: the
 * fork runs with {@code -javaagent:mlguard.jar} and {@code ignoreLoaders} naming {@link
 * BareLoader}, which loads a second copy of ONNX Runtime's classes (and of {@link MnistRun}) that
 * the agent leaves uninstrumented. Even iterations (counting warm-up) run the instrumented copy,
 * odd ones the bare copy, so both see the same JIT, heap, native library and machine state within a
 * second of each other. This machine's inference time moves by up to 2x between forks and over
 * minutes, which hides a microsecond between the forks of {@link OrtInferenceWithAgent} and {@link
 * OrtInferenceBaseline}; here it cancels in each pair of neighbouring iterations.
 *
 * <p>JMH's own score for this benchmark mixes the two; {@link AgentOverhead} runs it and reports
 * each copy's median and the added time per inference.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 6, time = 1)
@Measurement(iterations = 30, time = 1)
@Fork(
        value = 3,
        jvmArgsAppend = {
            "-Xms1g",
            "-Xmx1g",
            "-javaagent:target/bench-agent/mlguard.jar=queue=target/bench-agent/queue"
                    + ",ignoreLoaders=io.mlguard.benchmarks.OrtInferenceAlternating$BareLoader"
        })
public class OrtInferenceAlternating {
    private MnistRun hooked;
    private LongSupplier bare;
    private LongSupplier current;
    private int iteration;

    /**
     * Loads this benchmark jar's classes itself (ONNX Runtime's among them), with only the JDK's
     * platform classes from its parent; the agent ignores it by name.
     */
    public static final class BareLoader extends URLClassLoader {
        BareLoader() {
            super(
                    new URL[] {MnistRun.class.getProtectionDomain().getCodeSource().getLocation()},
                    ClassLoader.getPlatformClassLoader());
        }
    }

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        hooked = new MnistRun();
        Class<?> copy = Class.forName(MnistRun.class.getName(), true, new BareLoader());
        if (copy == MnistRun.class
                || copy.getClassLoader().loadClass("ai.onnxruntime.OrtSession")
                        == ai.onnxruntime.OrtSession.class) {
            throw new IllegalStateException("the bare copy shares ONNX Runtime's classes");
        }
        bare = (LongSupplier) copy.getConstructor().newInstance();
        long a = hooked.getAsLong();
        long b = bare.getAsLong();
        if (a != b) {
            throw new IllegalStateException("the copies disagree: " + a + " against " + b);
        }
    }

    /** Even iterations (warm-up included) run the instrumented copy, odd ones the bare copy. */
    @Setup(Level.Iteration)
    public void takeTurns() {
        current = iteration++ % 2 == 0 ? hooked : bare;
    }

    /** Whether the {@code i}-th iteration (0-based, warm-up included) ran the instrumented copy. */
    static boolean instrumented(int i) {
        return i % 2 == 0;
    }

    @Benchmark
    public long infer() {
        return current.getAsLong();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        hooked.close();
        ((AutoCloseable) bare).close();
    }
}
