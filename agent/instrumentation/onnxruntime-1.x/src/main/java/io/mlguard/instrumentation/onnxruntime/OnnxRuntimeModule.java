package io.mlguard.instrumentation.onnxruntime;

import io.mlguard.bootstrap.Dispatcher;
import io.mlguard.core.InstrumentationModule;
import io.mlguard.core.MethodHook;
import io.mlguard.core.MethodHook.Methods;
import io.mlguard.core.MethodHook.Value;
import io.mlguard.core.RuntimeAdapter;
import java.util.List;

/**
 * ONNX Runtime 1.x for Java: {@code OrtSession.run(..)} is an inference, {@code
 * OrtEnvironment.createSession(..)} a model load. Class loader: agent (the hooks woven into the
 * application's ONNX Runtime classes call only the bootstrap {@link Dispatcher}).
 */
public final class OnnxRuntimeModule implements InstrumentationModule {
    private final OrtAdapter adapter = new OrtAdapter();

    @Override
    public String name() {
        return "onnxruntime-1.x";
    }

    @Override
    public List<MethodHook> hooks() {
        return List.of(
                MethodHook.inference(
                        "ai.onnxruntime.OrtSession",
                        Methods.named("run").isPublic().takesArgument(0, "java.util.Map"),
                        Dispatcher.ONNX_RUNTIME,
                        Value.self(),
                        Value.arg(0),
                        true),
                MethodHook.modelLoad(
                        "ai.onnxruntime.OrtEnvironment",
                        Methods.named("createSession").returns("ai.onnxruntime.OrtSession"),
                        Dispatcher.ONNX_RUNTIME,
                        Value.arg(0),
                        Value.allArgs()));
    }

    @Override
    public int runtimeId() {
        return Dispatcher.ONNX_RUNTIME;
    }

    @Override
    public RuntimeAdapter runtimeAdapter() {
        return adapter;
    }
}
