package io.mlguard.instrumentation.onnxruntime;

import io.mlguard.bootstrap.Dispatcher;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into every {@code OrtEnvironment.createSession(..)}: a model load. The arguments (path,
 * bytes or buffer, then options) go to the adapter as they are.
 */
public final class CreateSessionAdvice {
    private CreateSessionAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter() {
        return Dispatcher.enterModelLoad(Dispatcher.ONNX_RUNTIME);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(
            @Advice.Enter long token,
            @Advice.AllArguments Object[] args,
            @Advice.Return Object session,
            @Advice.Thrown Throwable thrown) {
        Dispatcher.exitModelLoad(
                Dispatcher.ONNX_RUNTIME,
                token,
                session,
                args.length > 0 ? args[0] : null,
                args,
                thrown);
    }
}
