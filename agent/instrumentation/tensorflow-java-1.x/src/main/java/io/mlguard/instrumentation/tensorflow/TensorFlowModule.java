package io.mlguard.instrumentation.tensorflow;

import io.mlguard.bootstrap.Dispatcher;
import io.mlguard.core.InstrumentationModule;
import io.mlguard.core.MethodHook;
import io.mlguard.core.MethodHook.Methods;
import io.mlguard.core.MethodHook.Value;
import io.mlguard.core.RuntimeAdapter;
import java.util.List;

/**
 * TensorFlow-Java 1.x: {@code Session.Runner.run()} and {@code runAndFetchMetadata()} (graph mode;
 * {@code SavedModelBundle.call} and its functions run through them too), {@code
 * ConcreteFunction.call(Map)} (eager; it bypasses {@code Session}) are inferences; {@code
 * SavedModelBundle}'s private {@code load(dir, tags, config, runOptions)}, where every public way
 * of loading ends, is a model load. Class loader: agent (the hooks woven into TensorFlow's classes
 * call only the bootstrap {@link Dispatcher}).
 */
public final class TensorFlowModule implements InstrumentationModule {
    private final TensorFlowAdapter adapter = new TensorFlowAdapter();

    @Override
    public String name() {
        return "tensorflow-java-1.x";
    }

    @Override
    public List<MethodHook> hooks() {
        return List.of(
                MethodHook.fetchingInference(
                        "org.tensorflow.Session$Runner",
                        Methods.named("run", "runAndFetchMetadata").takesArguments(0),
                        Dispatcher.TENSORFLOW,
                        Value.field("outputs"),
                        Value.field("this$0"),
                        Value.self()),
                MethodHook.inference(
                        "org.tensorflow.ConcreteFunction",
                        Methods.named("call").takesArguments(1).takesArgument(0, "java.util.Map"),
                        Dispatcher.TENSORFLOW,
                        Value.self(),
                        Value.arg(0),
                        true),
                MethodHook.modelLoad(
                        "org.tensorflow.SavedModelBundle",
                        Methods.named("load").isPrivateStatic().takesArguments(4),
                        Dispatcher.TENSORFLOW,
                        Value.arg(0),
                        Value.allArgs()));
    }

    @Override
    public int runtimeId() {
        return Dispatcher.TENSORFLOW;
    }

    @Override
    public RuntimeAdapter runtimeAdapter() {
        return adapter;
    }
}
