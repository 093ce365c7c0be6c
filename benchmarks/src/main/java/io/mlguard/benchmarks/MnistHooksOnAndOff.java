package io.mlguard.benchmarks;

import java.util.function.LongSupplier;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Warmup;

/** The MNIST MLP on ONNX Runtime ({@link MnistRun}), the agent's hooks switched on and off. */
@Warmup(iterations = 6, time = 1)
@Measurement(iterations = 30, time = 1)
public class MnistHooksOnAndOff extends HooksOnAndOff {
    @Override
    Class<? extends LongSupplier> runner() {
        return MnistRun.class;
    }
}
