package io.mlguard.instrumentation.http;

import io.mlguard.bootstrap.Dispatcher;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into {@code java.util.concurrent.ThreadPoolExecutor.execute(Runnable)}, which {@code
 * submit}, {@code invokeAll} and {@code CompletableFuture.*Async(.., executor)} all reach: a task
 * handed over while a request is being served is wrapped to run in that request's context. Outside
 * a request the task is passed on as it is.
 */
public final class ThreadPoolExecuteAdvice {
    private ThreadPoolExecuteAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.Argument(value = 0, readOnly = false) Runnable task) {
        task = Dispatcher.wrapTask(task);
    }
}
