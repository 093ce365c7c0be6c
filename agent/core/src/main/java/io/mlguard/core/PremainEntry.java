package io.mlguard.core;

import java.io.File;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.util.function.Consumer;

/**
 * How {@code AgentPremain} calls {@link AgentInstaller#install} across class loaders. Class loader:
 * agent. The premain creates it with its no-argument constructor and calls it through a JDK
 * interface: a reflective {@code Method.invoke} of a four-argument static method spins
 * method-handle classes on first use (some 25 ms of the agent's start on JDK 25), a no-argument
 * constructor and an interface call do not.
 *
 * <p>The array holds, in order: the {@link Instrumentation}, the agent arguments ({@code String} or
 * {@code null}), mlguard.jar ({@link File}) and the deferred transformer's consumer ({@code
 * Consumer<ClassFileTransformer>}, {@code null} when attached), as {@link AgentInstaller#install}
 * takes them.
 */
public final class PremainEntry implements Consumer<Object[]> {
    @Override
    @SuppressWarnings("unchecked")
    public void accept(Object[] a) {
        AgentInstaller.install(
                (Instrumentation) a[0],
                (String) a[1],
                (File) a[2],
                (Consumer<ClassFileTransformer>) a[3]);
    }
}
