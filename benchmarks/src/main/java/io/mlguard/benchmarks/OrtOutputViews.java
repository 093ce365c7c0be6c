package io.mlguard.benchmarks;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What ONNX Runtime's own Java API costs the agent per MNIST inference, with no agent at all: the
 * same {@code OrtSession.run} as {@link OrtInference}, then either nothing more ({@code run}), or a
 * direct view of every output through {@code OnnxTensor}'s private {@code getBuffer()} (what the
 * agent does to read outputs without copying them, {@code runAndViewOutputs}). Both in the same
 * fork, so their difference is the floor of the agent's added time for reading outputs: a JNI call
 * and a {@code NewDirectByteBuffer} per output tensor, after ONNX Runtime has just run.
 *
 * <p>{@code -prof gc} shows the views' allocation: ONNX Runtime's Java API has no read of an output
 * tensor that allocates nothing.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(
        value = 3,
        jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class OrtOutputViews {
    private MnistSession mnist;
    private OrtSession session;
    private Map<String, OnnxTensor> inputs;
    private MethodHandle view;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        mnist = new MnistSession();
        session = mnist.session;
        inputs = mnist.inputs;
        Method m = OnnxTensor.class.getDeclaredMethod("getBuffer");
        m.setAccessible(true);
        view =
                MethodHandles.lookup()
                        .unreflect(m)
                        .asType(MethodType.methodType(ByteBuffer.class, OnnxTensor.class));
    }

    /** The inference alone: the baseline. */
    @Benchmark
    public long run() throws OrtException {
        try (OrtSession.Result r = session.run(inputs)) {
            return r.size();
        }
    }

    /** The inference, then a direct view of each output, one byte read from each. */
    @Benchmark
    public long runAndViewOutputs() throws Throwable {
        try (OrtSession.Result r = session.run(inputs)) {
            long sum = r.size();
            for (int i = 0; i < r.size(); i++) {
                ByteBuffer b = (ByteBuffer) view.invokeExact((OnnxTensor) r.get(i));
                sum += b.get(0);
            }
            return sum;
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws OrtException {
        mnist.close();
    }
}
