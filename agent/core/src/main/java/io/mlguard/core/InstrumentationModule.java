package io.mlguard.core;

import static net.bytebuddy.matcher.ElementMatchers.named;

import io.mlguard.bootstrap.Dispatcher;
import java.util.List;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

/**
 * One library (and version range) the agent instruments, found with {@link java.util.ServiceLoader}
 * in the agent class loader. A new runtime or HTTP server is a new module folder under {@code
 * agent/instrumentation/} that implements this; nothing else changes.
 *
 * <p>A module declares what it instruments twice, by exact class name: as {@link MethodHook}s
 * ({@link #hooks()}), which the agent weaves at premain with its {@link HookWeaver} (ASM only: no
 * Byte Buddy on the application's start path) and into JDK classes loaded before it; and as Byte
 * Buddy advice ({@link #typeAdvice()}), which it weaves on an {@code AgentBuilder} when attaching
 * to a running JVM ({@link #instrument}). Both must name the same classes and do the same.
 */
public interface InstrumentationModule {
    /** A short name, such as {@code onnxruntime-1.x}. */
    String name();

    /**
     * The classes this module instruments, by exact name, with their advice. Each name must also be
     * one the premain's {@code DeferredTransformer} waits for ({@code waitsFor}).
     */
    default List<TypeAdvice> typeAdvice() {
        return List.of();
    }

    /**
     * The same instrumentation as {@link #typeAdvice()}, as {@link MethodHook}s: what the agent
     * weaves at premain ({@link HookWeaver}, no Byte Buddy on the application's start path) and
     * into JDK classes loaded before it. Each hook must do what the corresponding advice does.
     */
    default List<MethodHook> hooks() {
        return List.of();
    }

    /**
     * When attaching: adds the matchers and advice of {@link #typeAdvice()} (except the classes
     * woven by retransformation at any time, {@link TypeAdvice#isLoadedEarly}).
     */
    default AgentBuilder instrument(
            AgentBuilder builder, java.lang.instrument.Instrumentation inst) {
        AgentBuilder b = builder;
        for (TypeAdvice t : typeAdvice()) {
            if (t.isLoadedEarly()) {
                continue;
            }
            b =
                    b.type(named(t.typeName))
                            .transform(
                                    (db, type, loader, module, domain) -> {
                                        DynamicType.Builder<?> woven = db;
                                        for (TypeAdvice.MethodAdvice m : t.advice()) {
                                            woven = woven.visit(Advice.to(m.advice).on(m.methods));
                                        }
                                        return woven;
                                    })
                            .assureReadEdgeTo(inst, Dispatcher.class);
        }
        return b;
    }

    /**
     * Where {@link #hooks()} and {@link #typeAdvice()} disagree, one line each (none: they agree):
     * both must name the same classes, and each hooked class must be waited for at premain unless
     * it is woven by retransformation. The modules' tests check it; it needs no running agent.
     */
    default List<String> hookMismatches() {
        java.util.Set<String> hooked = new java.util.TreeSet<>();
        List<String> problems = new java.util.ArrayList<>();
        for (MethodHook h : hooks()) {
            hooked.add(h.typeName);
            if (!h.isLoadedEarly()
                    && !io.mlguard.bootstrap.DeferredTransformer.waitsFor(h.internalName())) {
                problems.add(
                        name() + ": " + h.typeName + " is hooked but not waited for at premain");
            }
        }
        java.util.Set<String> advised = new java.util.TreeSet<>();
        for (TypeAdvice t : typeAdvice()) {
            advised.add(t.typeName);
        }
        if (hooked.isEmpty()) {
            problems.add(name() + ": no hooks");
        }
        if (!hooked.equals(advised)) {
            problems.add(name() + ": hooks name " + hooked + ", advice names " + advised);
        }
        return problems;
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
