package io.mlguard.instrumentation.djl;

import io.mlguard.bootstrap.Dispatcher;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into {@code Criteria.loadModel()}: the criteria is the source (paths, engine, arguments),
 * the returned {@code ZooModel} the model. Class loader: the application's DJL loader (inlined),
 * calling only the bootstrap dispatcher.
 */
public final class LoadModelAdvice {
    private LoadModelAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter() {
        return Dispatcher.enterModelLoad(Dispatcher.DJL);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(
            @Advice.Enter long token,
            @Advice.This Object criteria,
            @Advice.Return Object model,
            @Advice.Thrown Throwable thrown) {
        Dispatcher.exitModelLoad(Dispatcher.DJL, token, model, criteria, null, thrown);
    }
}
