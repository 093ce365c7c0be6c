package io.mlguard.instrumentation.djl;

import io.mlguard.bootstrap.Dispatcher;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into {@code Predictor.predictInternal(TranslatorContext, NDList)}. The target handed to
 * the recorder is the predictor's engine model (its {@code model} field), which the model load
 * registered; the input and output are the batched {@code NDList}s. Class loader: the application's
 * DJL loader (inlined), calling only the bootstrap dispatcher.
 */
public final class PredictAdvice {
    private PredictAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter() {
        return Dispatcher.enterInference(Dispatcher.DJL);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(
            @Advice.Enter long token,
            @Advice.FieldValue("model") Object model,
            @Advice.Argument(1) Object input,
            @Advice.Return Object output,
            @Advice.Thrown Throwable thrown) {
        Dispatcher.exitInference(Dispatcher.DJL, token, model, input, output, thrown);
    }
}
