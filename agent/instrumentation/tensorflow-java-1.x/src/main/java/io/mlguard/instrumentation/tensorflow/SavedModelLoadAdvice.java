package io.mlguard.instrumentation.tensorflow;

import io.mlguard.bootstrap.Dispatcher;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into {@code SavedModelBundle}'s private static {@code load(exportDir, tags, config,
 * runOptions)}. Class loader: the application's TensorFlow loader (inlined).
 */
public final class SavedModelLoadAdvice {
    private SavedModelLoadAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter() {
        return Dispatcher.enterModelLoad(Dispatcher.TENSORFLOW);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(
            @Advice.Enter long token,
            @Advice.AllArguments Object[] args,
            @Advice.Return Object bundle,
            @Advice.Thrown Throwable thrown) {
        Dispatcher.exitModelLoad(Dispatcher.TENSORFLOW, token, bundle, args[0], args, thrown);
    }
}
