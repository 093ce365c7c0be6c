package io.mlguard.core;

import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.utility.JavaModule;

/**
 * Counts and reports instrumentation errors: a class the agent failed to transform is left as it
 * was and said once. Class loader: agent.
 */
final class TransformListener extends AgentBuilder.Listener.Adapter {
    private final AgentCounters counters;

    TransformListener(AgentCounters counters) {
        this.counters = counters;
    }

    @Override
    public void onTransformation(
            TypeDescription type,
            ClassLoader loader,
            JavaModule module,
            boolean loaded,
            DynamicType dynamicType) {
        AgentLog.debug("instrumented " + type.getName());
    }

    @Override
    public void onError(
            String typeName,
            ClassLoader loader,
            JavaModule module,
            boolean loaded,
            Throwable throwable) {
        counters.internalErrors.increment();
        AgentLog.once(
                "transform-" + typeName,
                "could not instrument " + typeName + ", left unchanged: " + throwable);
    }
}
