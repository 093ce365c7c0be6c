package io.mlguard.instrumentation.djl;

import io.mlguard.bootstrap.Dispatcher;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into {@code Predictor.predictInternal(..)} outside {@link PredictAdvice}: refuses a
 * blocked or throttled client's prediction before it starts. It is the one DJL advice that does not
 * suppress what it throws, because refusing is its purpose; the dispatcher throws nothing but
 * {@code ClientBlockedException} and swallows its own failures (fail-open). When DJL runs on ONNX
 * Runtime, the engine's own {@code OrtSession.run} is nested and is not checked a second time.
 * {@code Predictor.predict} wraps the refusal in DJL's checked {@code TranslateException}, as it
 * does every failure of a prediction, so DJL servers' existing error handling answers it. Class
 * loader: the application's DJL loader (inlined), calling only the bootstrap dispatcher.
 */
public final class PredictEnforcementAdvice {
    private PredictEnforcementAdvice() {}

    @Advice.OnMethodEnter
    static void enter(@Advice.FieldValue("model") Object model) {
        Dispatcher.checkAllowed(Dispatcher.DJL, model);
    }
}
