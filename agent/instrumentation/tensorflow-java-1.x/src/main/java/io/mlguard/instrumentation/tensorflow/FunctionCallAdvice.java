package io.mlguard.instrumentation.tensorflow;

import io.mlguard.bootstrap.Dispatcher;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into {@code ConcreteFunction.call(Map<String, Tensor>)}, which the single-tensor {@code
 * call(Tensor)} also ends in. The overloads taking a {@code Scope} or {@code Ops} only add the
 * function to a graph being built and are not hooked. Class loader: the application's TensorFlow
 * loader (inlined).
 */
public final class FunctionCallAdvice {
    private FunctionCallAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter() {
        return Dispatcher.enterInference(Dispatcher.TENSORFLOW);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(
            @Advice.Enter long token,
            @Advice.This Object function,
            @Advice.Argument(0) Object arguments,
            @Advice.Return Object result,
            @Advice.Thrown Throwable thrown) {
        Dispatcher.exitInference(Dispatcher.TENSORFLOW, token, function, arguments, result, thrown);
    }
}
