package io.mlguard.benchmarks;

import java.lang.reflect.Method;
import java.util.concurrent.TimeUnit;

/**
 * The agent's hooks in a fork run with {@code -javaagent:mlguard.jar}, for {@link HooksOnAndOff}'s
 * turns: the agent's dispatcher holds either the agent's hooks or the no-op ones it holds before
 * the agent starts, and this swaps them.
 */
final class AgentHooks {
    /** {@code -Dmlguard.bench.switchHooks=false}: a {@link HooksOnAndOff}'s control. */
    static final boolean SWITCH =
            Boolean.parseBoolean(System.getProperty("mlguard.bench.switchHooks", "true"));

    /** How long {@link #installed} waits for the agent to install its hooks. */
    private static final long INSTALL_WAIT_SECONDS = 60;

    private final Method install;
    private final Object agentHooks;
    private final Object noHooks;

    private AgentHooks(Method install, Object agentHooks, Object noHooks) {
        this.install = install;
        this.agentHooks = agentHooks;
        this.noHooks = noHooks;
    }

    /** The hooks the agent installed, once it has; fails if it does not within a minute. */
    static AgentHooks installed() throws Exception {
        // The agent appends mlguard.jar to the bootstrap class path; benchmarks.jar's own copy of
        // these classes is relocated, and a literal of this name would be too.
        String bootstrap = String.join(".", "io", "mlguard", "bootstrap");
        Class<?> dispatcher = Class.forName(bootstrap + ".Dispatcher", true, null);
        Class<?> hooks = Class.forName(bootstrap + ".Hooks", true, null);
        Method current = dispatcher.getMethod("hooks");
        Object noHooks = hooks.getField("NOOP").get(null);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(INSTALL_WAIT_SECONDS);
        Object agentHooks;
        while ((agentHooks = current.invoke(null)) == noHooks) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "the agent installed no hooks in "
                                + INSTALL_WAIT_SECONDS
                                + " s: is it running, and enabled?");
            }
            Thread.sleep(10);
        }
        return new AgentHooks(dispatcher.getMethod("install", hooks), agentHooks, noHooks);
    }

    /** Hands the dispatcher the agent's hooks ({@code true}) or the no-op ones. */
    void switchOn(boolean on) throws Exception {
        install.invoke(null, on ? agentHooks : noHooks);
    }
}
