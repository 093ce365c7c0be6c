package io.mlguard.instrumentation.djl;

import io.mlguard.bootstrap.Dispatcher;
import io.mlguard.core.InstrumentationModule;
import io.mlguard.core.MethodHook;
import io.mlguard.core.MethodHook.Methods;
import io.mlguard.core.MethodHook.Value;
import io.mlguard.core.RuntimeAdapter;
import java.util.List;

/**
 * DJL 0.x, whatever the engine: {@code Predictor.predictInternal(ctx, NDList)} is an inference (the
 * engine-independent step between the translator's pre- and post-processing; {@code predict} and
 * {@code batchPredict} both call it once per batch), {@code Criteria.loadModel()} a model load.
 * Class loader: agent (the hooks woven into DJL's classes call only the bootstrap {@link
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
