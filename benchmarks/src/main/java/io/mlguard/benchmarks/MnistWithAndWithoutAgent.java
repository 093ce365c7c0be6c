package io.mlguard.benchmarks;

import java.util.function.LongSupplier;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Warmup;

/** The MNIST MLP on ONNX Runtime ({@link MnistRun}) with and without the agent, taking turns. */
@Warmup(iterations = 6, time = 1)
@Measurement(iterations = 30, time = 1)
public class MnistWithAndWithoutAgent extends WithAndWithoutAgent {
    @Override
    Class<? extends LongSupplier> runner() {
        return MnistRun.class;
    }
}
