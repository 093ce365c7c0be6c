package io.mlguard.instrumentation.tensorflow;

import static net.bytebuddy.matcher.ElementMatchers.isPrivate;
import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.mlguard.bootstrap.Dispatcher;
import io.mlguard.core.InstrumentationModule;
import io.mlguard.core.RuntimeAdapter;
import java.lang.instrument.Instrumentation;
import java.util.Map;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;

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
    public AgentBuilder instrument(AgentBuilder builder, Instrumentation inst) {
        return builder.type(named("org.tensorflow.Session$Runner"))
                .transform(
                        (b, type, loader, module, domain) ->
                                b.visit(
                                        Advice.to(RunnerRunAdvice.class)
                                                .on(
                                                        named("run")
                                                                .or(named("runAndFetchMetadata"))
                                                                .and(takesArguments(0)))))
                .type(named("org.tensorflow.ConcreteFunction"))
                .transform(
                        (b, type, loader, module, domain) ->
                                b.visit(
                                        Advice.to(FunctionCallAdvice.class)
                                                .on(
                                                        named("call")
                                                                .and(takesArguments(1))
                                                                .and(takesArgument(0, Map.class)))))
                .type(named("org.tensorflow.SavedModelBundle"))
                .transform(
                        (b, type, loader, module, domain) ->
                                b.visit(
                                        Advice.to(SavedModelLoadAdvice.class)
                                                .on(
                                                        named("load")
                                                                .and(isPrivate())
                                                                .and(isStatic())
                                                                .and(takesArguments(4)))));
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
