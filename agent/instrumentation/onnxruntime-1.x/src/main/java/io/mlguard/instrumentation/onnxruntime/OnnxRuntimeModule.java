package io.mlguard.instrumentation.onnxruntime;

import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;

import io.mlguard.bootstrap.Dispatcher;
import io.mlguard.core.InstrumentationModule;
import io.mlguard.core.MethodHook;
import io.mlguard.core.MethodHook.Methods;
import io.mlguard.core.MethodHook.Value;
import io.mlguard.core.RuntimeAdapter;
import io.mlguard.core.TypeAdvice;
import java.util.List;
import java.util.Map;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * ONNX Runtime 1.x for Java: {@code OrtSession.run(..)} is an inference, {@code
 * OrtEnvironment.createSession(..)} a model load. Class loader: agent (the advice is inlined into
 * the application's ONNX Runtime classes and calls only the bootstrap {@link Dispatcher}).
 */
public final class OnnxRuntimeModule implements InstrumentationModule {
    /** Every public {@code run} overload; they all take the inputs map first. */
    // built when attaching only: Byte Buddy matchers stay off the premain path
    private static ElementMatcher.Junction<MethodDescription> run() {
        return named("run").and(isPublic()).and(takesArgument(0, Map.class));
    }

    private final OrtAdapter adapter = new OrtAdapter();

    @Override
    public String name() {
        return "onnxruntime-1.x";
    }

    @Override
    public List<TypeAdvice> typeAdvice() {
        // Advice added first is inlined outermost (checked in a dump of the woven class):
        // enforcement comes first, so a refused call never enters the recording advice and the
        // nesting depth it checks is still the caller's.
        return List.of(
                TypeAdvice.on("ai.onnxruntime.OrtSession")
                        .advise(run(), EnforcementAdvice.class)
                        .advise(run(), OrtSessionRunAdvice.class),
                TypeAdvice.on("ai.onnxruntime.OrtEnvironment")
                        .advise(
                                named("createSession")
                                        .and(returns(named("ai.onnxruntime.OrtSession"))),
                                CreateSessionAdvice.class));
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
