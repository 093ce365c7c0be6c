package io.mlguard.instrumentation.djl;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.mlguard.bootstrap.Dispatcher;
import io.mlguard.core.InstrumentationModule;
import io.mlguard.core.RuntimeAdapter;
import java.lang.instrument.Instrumentation;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;

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
    private final DjlAdapter adapter = new DjlAdapter();

    @Override
    public String name() {
        return "djl-0.x";
    }

    @Override
    public AgentBuilder instrument(AgentBuilder builder, Instrumentation inst) {
        return builder.type(named("ai.djl.inference.Predictor"))
                .transform(
                        (b, type, loader, module, domain) ->
                                b.visit(
                                        Advice.to(PredictAdvice.class)
                                                .on(
                                                        named("predictInternal")
                                                                .and(takesArguments(2)))))
                .type(named("ai.djl.repository.zoo.Criteria"))
                .transform(
                        (b, type, loader, module, domain) ->
                                b.visit(
                                        Advice.to(LoadModelAdvice.class)
                                                .on(named("loadModel").and(takesArguments(0)))));
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
