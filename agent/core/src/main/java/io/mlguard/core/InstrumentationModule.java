package io.mlguard.core;

import java.util.List;

/**
 * One library (and version range) the agent instruments, found with {@link java.util.ServiceLoader}
 * in the agent class loader. A new runtime or HTTP server is a new module folder under {@code
 * agent/instrumentation/} that implements this; nothing else changes.
 *
 * <p>A module declares what it instruments as {@link MethodHook}s, by exact class name ({@link
 * #hooks()}). The agent weaves them with its {@link HookWeaver} (ASM only), as the classes load at
 * premain, and by retransformation ({@link LoadedClassWeaver}) into the JDK classes loaded before
 * it and, when attached to a running JVM, into every hooked class already loaded.
 */
public interface InstrumentationModule {
    /** A short name, such as {@code onnxruntime-1.x}. */
    String name();

    /**
     * What this module instruments. Each class named must be one the premain's {@code
     * DeferredTransformer} waits for ({@code waitsFor}), unless it is a JDK class loaded before the
     * agent ({@link MethodHook#isLoadedEarly}); each module's test checks it.
     */
    default List<MethodHook> hooks() {
        return List.of();
    }

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
