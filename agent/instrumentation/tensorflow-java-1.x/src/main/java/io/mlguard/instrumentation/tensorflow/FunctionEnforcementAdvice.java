package io.mlguard.instrumentation.tensorflow;

import io.mlguard.bootstrap.Dispatcher;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into {@code ConcreteFunction.call(Map)} outside {@link FunctionCallAdvice}: refuses a
 * blocked or throttled client's call before it starts, as {@link RunnerEnforcementAdvice} does for
 * sessions. Class loader: the application's TensorFlow loader (inlined).
 */
public final class FunctionEnforcementAdvice {
    private FunctionEnforcementAdvice() {}

    @Advice.OnMethodEnter
    static void enter(@Advice.This Object function) {
        Dispatcher.checkAllowed(Dispatcher.TENSORFLOW, function);
    }
}
