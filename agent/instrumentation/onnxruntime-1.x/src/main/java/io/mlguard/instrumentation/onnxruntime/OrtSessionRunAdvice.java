package io.mlguard.instrumentation.onnxruntime;

import io.mlguard.bootstrap.Dispatcher;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into every public {@code OrtSession.run(..)} overload. Calls the bootstrap dispatcher and
 * nothing else; the overloads call each other, and the recorder's nesting guard keeps the outermost
 * call only.
 */
public final class OrtSessionRunAdvice {
    private OrtSessionRunAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter() {
        return Dispatcher.enterInference(Dispatcher.ONNX_RUNTIME);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(
            @Advice.Enter long token,
            @Advice.This Object session,
            @Advice.Argument(0) Object inputs,
            @Advice.Return Object result,
            @Advice.Thrown Throwable thrown) {
        Dispatcher.exitInference(Dispatcher.ONNX_RUNTIME, token, session, inputs, result, thrown);
    }
}
