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
    private static final ElementMatcher.Junction<MethodDescription> RUN =
            named("run").or(named("runAndFetchMetadata")).and(takesArguments(0));
    private static final ElementMatcher.Junction<MethodDescription> CALL =
            named("call").and(takesArguments(1)).and(takesArgument(0, Map.class));

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
                        .advise(RUN, RunnerEnforcementAdvice.class)
                        .advise(RUN, RunnerRunAdvice.class),
                TypeAdvice.on("org.tensorflow.ConcreteFunction")
                        .advise(CALL, FunctionEnforcementAdvice.class)
                        .advise(CALL, FunctionCallAdvice.class),
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
