package io.mlguard.instrumentation.tensorflow;

import static net.bytebuddy.matcher.ElementMatchers.isPrivate;
import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

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
 * TensorFlow-Java 1.x: {@code Session.Runner.run()} and {@code runAndFetchMetadata()} (graph mode;
 * {@code SavedModelBundle.call} and its functions run through them too), {@code
 * ConcreteFunction.call(Map)} (eager; it bypasses {@code Session}) are inferences; {@code
 * SavedModelBundle}'s private {@code load(dir, tags, config, runOptions)}, where every public way
 * of loading ends, is a model load. Class loader: agent (the advice is inlined into TensorFlow's
 * classes and calls only the bootstrap {@link Dispatcher}).
 */
public final class TensorFlowModule implements InstrumentationModule {
    // built when attaching only: Byte Buddy matchers stay off the premain path
    private static ElementMatcher.Junction<MethodDescription> run() {
        return named("run").or(named("runAndFetchMetadata")).and(takesArguments(0));
    }

    // built when attaching only: Byte Buddy matchers stay off the premain path
    private static ElementMatcher.Junction<MethodDescription> call() {
        return named("call").and(takesArguments(1)).and(takesArgument(0, Map.class));
    }

    private final TensorFlowAdapter adapter = new TensorFlowAdapter();

    @Override
    public String name() {
        return "tensorflow-java-1.x";
    }

    @Override
    public List<TypeAdvice> typeAdvice() {
        return List.of(
                // enforcement first: advice added first is inlined outermost, so a refused call
                // never enters the recording advice
                TypeAdvice.on("org.tensorflow.Session$Runner")
                        .advise(run(), RunnerEnforcementAdvice.class)
                        .advise(run(), RunnerRunAdvice.class),
                TypeAdvice.on("org.tensorflow.ConcreteFunction")
                        .advise(call(), FunctionEnforcementAdvice.class)
                        .advise(call(), FunctionCallAdvice.class),
                TypeAdvice.on("org.tensorflow.SavedModelBundle")
                        .advise(
                                named("load")
                                        .and(isPrivate())
                                        .and(isStatic())
                                        .and(takesArguments(4)),
                                SavedModelLoadAdvice.class));
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
