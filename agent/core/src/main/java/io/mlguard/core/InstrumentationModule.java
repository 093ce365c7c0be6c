package io.mlguard.core;

import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * One library (and version range) the agent instruments, found with {@link java.util.ServiceLoader}
 * in the agent class loader. A new runtime or HTTP server is a new module folder under {@code
 * agent/instrumentation/} that implements this; nothing else changes.
 */
public interface InstrumentationModule {
    /** A short name, such as {@code onnxruntime-1.x}. */
    String name();

    /** Adds this module's type matchers and advice. */
    AgentBuilder instrument(AgentBuilder builder, java.lang.instrument.Instrumentation inst);

    /** The runtime id of {@link io.mlguard.bootstrap.Dispatcher} this module reports, or -1. */
    default int runtimeId() {
        return -1;
    }

    default RuntimeAdapter runtimeAdapter() {
        return null;
    }

    /** The server id of {@link io.mlguard.bootstrap.Dispatcher} this module reports, or -1. */
    default int serverId() {
        return -1;
    }

    default RequestAdapter requestAdapter() {
        return null;
    }
}
