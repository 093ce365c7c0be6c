package io.mlguard.instrumentation.tensorflow;

import io.mlguard.bootstrap.Dispatcher;
import java.util.List;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into {@code Session.Runner.run()} and {@code runAndFetchMetadata()}. A run that fetches
 * nothing only executes targets (variable initialisers, {@code Session.save}, assignments): it is
 * not an inference and is left out, checked on the same unchanged list at entry and exit so the
 * recorder's nesting guard stays balanced. The target is the runner's session; the runner itself is
 * the input (its feeds). Class loader: the application's TensorFlow loader (inlined).
 */
public final class RunnerRunAdvice {
    private RunnerRunAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter(@Advice.FieldValue("outputs") List<?> fetches) {
        return fetches.isEmpty() ? 0L : Dispatcher.enterInference(Dispatcher.TENSORFLOW);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(
            @Advice.Enter long token,
            @Advice.FieldValue("outputs") List<?> fetches,
            @Advice.FieldValue("this$0") Object session,
            @Advice.This Object runner,
            @Advice.Return Object result,
            @Advice.Thrown Throwable thrown) {
        if (!fetches.isEmpty()) {
            Dispatcher.exitInference(Dispatcher.TENSORFLOW, token, session, runner, result, thrown);
        }
    }
}
