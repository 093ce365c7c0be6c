package io.mlguard.instrumentation.djl;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.mlguard.bootstrap.Dispatcher;
import io.mlguard.core.InstrumentationModule;
import io.mlguard.core.MethodHook;
import io.mlguard.core.MethodHook.Methods;
import io.mlguard.core.MethodHook.Value;
import io.mlguard.core.RuntimeAdapter;
import io.mlguard.core.TypeAdvice;
import java.util.List;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * DJL 0.x, whatever the engine: {@code Predictor.predictInternal(ctx, NDList)} is an inference (the
 * engine-independent step between the translator's pre- and post-processing; {@code predict} and
 * {@code batchPredict} both call it once per batch), {@code Criteria.loadModel()} a model load.
 * Class loader: agent (the advice is inlined into DJL's classes and calls only the bootstrap {@link
 * Dispatcher}).
 *
 * <p>An engine's own calls inside (ONNX Runtime's {@code OrtSession.run}, its {@code
 * createSession}) are nested in these and so left out by the recorder's per-thread guard: one
 * prediction is one record, with runtime {@code djl}.
 */
public final class DjlModule implements InstrumentationModule {
    // built when attaching only: Byte Buddy matchers stay off the premain path
    private static ElementMatcher.Junction<MethodDescription> predict() {
        return named("predictInternal").and(takesArguments(2));
    }

    private final DjlAdapter adapter = new DjlAdapter();

    @Override
    public String name() {
        return "djl-0.x";
    }

    @Override
    public List<TypeAdvice> typeAdvice() {
        return List.of(
                // enforcement first: advice added first is inlined outermost, so a refused
                // prediction never enters the recording advice
                TypeAdvice.on("ai.djl.inference.Predictor")
                        .advise(predict(), PredictEnforcementAdvice.class)
                        .advise(predict(), PredictAdvice.class),
                TypeAdvice.on("ai.djl.repository.zoo.Criteria")
                        .advise(named("loadModel").and(takesArguments(0)), LoadModelAdvice.class));
    }

    @Override
    public List<MethodHook> hooks() {
        return List.of(
                MethodHook.inference(
                        "ai.djl.inference.Predictor",
                        Methods.named("predictInternal").takesArguments(2),
                        Dispatcher.DJL,
                        Value.field("model"),
                        Value.arg(1),
                        true),
                MethodHook.modelLoad(
                        "ai.djl.repository.zoo.Criteria",
                        Methods.named("loadModel").takesArguments(0),
                        Dispatcher.DJL,
                        Value.self(),
                        Value.none()));
    }

    @Override
    public int runtimeId() {
        return Dispatcher.DJL;
    }

    @Override
    public RuntimeAdapter runtimeAdapter() {
        return adapter;
    }
}
