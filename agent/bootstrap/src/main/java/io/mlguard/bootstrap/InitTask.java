package io.mlguard.bootstrap;

import java.io.File;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.util.function.Consumer;

/**
 * The body of the {@code mlguard-init} thread that starts the agent at premain. Class loader:
 * bootstrap or system (whichever the premain's loader finds first). A public top-level class rather
 * than a lambda: a lambda spins method-handle and hidden classes on the application's start path,
 * and a private nested class would be loaded from the bootstrap path once mlguard.jar is appended
 * there, which cannot access its private host. Its constructor takes JDK types only, so it links
 * whichever loader defined it.
 */
public final class InitTask implements Runnable {
    private final Consumer<Object[]> installer;
    private final Instrumentation inst;
    private final String args;
    private final File jar;
    private final Consumer<ClassFileTransformer> deferred;

    /**
     * @param installer the agent's installer ({@code io.mlguard.core.PremainEntry})
     * @param deferred takes the agent's transformer once it is ready; takes {@code null} when the
     *     agent will not start, or is done starting
     */
    public InitTask(
            Consumer<Object[]> installer,
            Instrumentation inst,
            String args,
            File jar,
            Consumer<ClassFileTransformer> deferred) {
        this.installer = installer;
        this.inst = inst;
        this.args = args;
        this.jar = jar;
        this.deferred = deferred;
    }

    @Override
    public void run() {
        try {
            installer.accept(new Object[] {inst, args, jar, deferred});
        } catch (Throwable t) {
            // as AgentPremain reports it (not called: this class may live in another loader)
            System.err.println(
                    "[mlguard] agent not started, the application runs without it: " + t);
            if (Boolean.getBoolean("mlguard.debug")) {
                t.printStackTrace();
            }
        } finally {
            deferred.accept(null);
        }
    }
}
