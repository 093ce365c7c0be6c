package io.mlguard.benchmarks;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.function.LongSupplier;

/**
 * One MNIST inference per call, as {@link OrtInference} runs it, behind an interface of the JDK's:
 * {@link WithAndWithoutAgent} makes one in the application's class loader and one in a loader of
 * its own, each with its own copy of ONNX Runtime's classes, and calls both the same way.
 */
public final class MnistRun implements LongSupplier, AutoCloseable {
    private final MnistSession mnist;

    public MnistRun() throws OrtException {
        mnist = new MnistSession();
    }

    @Override
    public long getAsLong() {
        try (OrtSession.Result r = mnist.session.run(mnist.inputs)) {
            return ((long[]) r.get(1).getValue())[0];
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws OrtException {
        mnist.close();
    }
}
