package io.mlguard.instrumentation.onnxruntime;

import io.mlguard.bootstrap.Dispatcher;
import net.bytebuddy.asm.Advice;

/**
 * Wraps {@link OrtSessionRunAdvice} on {@code OrtSession.run(..)}: the one advice that does not
 * suppress what it throws, because refusing a blocked client's inference is its purpose. The
 * dispatcher throws nothing but {@code ClientBlockedException}; its own failures are swallowed
 * inside (fail-open).
 */
public final class EnforcementAdvice {
    private EnforcementAdvice() {}

    @Advice.OnMethodEnter
    static void enter(@Advice.This Object session) {
        Dispatcher.checkAllowed(Dispatcher.ONNX_RUNTIME, session);
    }
}
