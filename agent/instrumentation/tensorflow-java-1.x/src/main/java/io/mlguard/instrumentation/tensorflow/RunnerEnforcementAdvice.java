package io.mlguard.instrumentation.tensorflow;

import io.mlguard.bootstrap.Dispatcher;
import java.util.List;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into {@code Session.Runner.run()} and {@code runAndFetchMetadata()} outside {@link
 * RunnerRunAdvice}: refuses a blocked or throttled client's inference before it starts. Runs that
 * fetch nothing are not inferences (initialisers, saves) and are never refused. It does not
 * suppress what it throws, because refusing is its purpose; the dispatcher throws nothing but
 * {@code ClientBlockedException} (fail-open otherwise). Class loader: the application's TensorFlow
 * loader (inlined).
 */
public final class RunnerEnforcementAdvice {
    private RunnerEnforcementAdvice() {}

    @Advice.OnMethodEnter
    static void enter(
            @Advice.FieldValue("outputs") List<?> fetches,
            @Advice.FieldValue("this$0") Object session) {
        if (!fetches.isEmpty()) {
            Dispatcher.checkAllowed(Dispatcher.TENSORFLOW, session);
        }
    }
}
