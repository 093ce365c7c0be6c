package io.mlguard.instrumentation.tensorflow;

import static net.bytebuddy.matcher.ElementMatchers.isPrivate;
import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.mlguard.bootstrap.Dispatcher;
import io.mlguard.core.InstrumentationModule;
import io.mlguard.core.RuntimeAdapter;
import io.mlguard.core.TypeAdvice;
import java.util.List;
import java.util.Map;

/**
 * TensorFlow-Java 1.x: {@code Session.Runner.run()} and {@code runAndFetchMetadata()} (graph mode;
 * {@code SavedModelBundle.call} and its functions run through them too), {@code
 * ConcreteFunction.call(Map)} (eager; it bypasses {@code Session}) are inferences; {@code
 * SavedModelBundle}'s private {@code load(dir, tags, config, runOptions)}, where every public way
 * of loading ends, is a model load. Class loader: agent (the advice is inlined into TensorFlow's
 * classes and calls only the bootstrap {@link Dispatcher}).
 */
public final class TensorFlowModule implements InstrumentationModule {
    private final TensorFlowAdapter adapter = new TensorFlowAdapter();

    @Override
    public String name() {
        return "tensorflow-java-1.x";
    }

    @Override
    public List<TypeAdvice> typeAdvice() {
        return List.of(
                TypeAdvice.on("org.tensorflow.Session$Runner")
                        .advise(
                                named("run")
                                        .or(named("runAndFetchMetadata"))
                                        .and(takesArguments(0)),
                                RunnerRunAdvice.class),
                TypeAdvice.on("org.tensorflow.ConcreteFunction")
                        .advise(
                                named("call")
                                        .and(takesArguments(1))
                                        .and(takesArgument(0, Map.class)),
                                FunctionCallAdvice.class),
                TypeAdvice.on("org.tensorflow.SavedModelBundle")
                        .advise(
                                named("load")
                                        .and(isPrivate())
                                        .and(isStatic())
                                        .and(takesArguments(4)),
                                SavedModelLoadAdvice.class));
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
