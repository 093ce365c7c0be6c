package io.mlguard.benchmarks;

import java.lang.reflect.Method;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * {@link WithAndWithoutAgent} with one copy of the runtime: even iterations run with the agent's
 * hooks (its {@code InferenceRecorder}), odd ones with the no-op hooks the agent's {@code
 * Dispatcher} holds before the agent starts and after it stops, swapped in at each iteration's set
 * up. Both turns run the same classes, the same JIT-compiled code and the same ONNX Runtime session
 * (its native memory, its weights' place in the caches); two copies of the runtime with the agent
 * switched off differed by -0.55 to +2.20 us per fork on this project's VMs, which is as large as
 * what is measured. What the odd turns still run of the agent is the woven call into the dispatcher
 * and its volatile read of the hooks, to a method that returns at once: {@code
 * BENCH=AgentCapture}'s {@code hooksOffInference} against {@code unrecordedInference} times it.
 *
 * <p>{@code -Dmlguard.bench.switchHooks=false} (through {@code -jvmArgsPrepend}) leaves the hooks
 * on in both turns: the control, which shows the method's own error.
 */
public abstract class HooksOnAndOff extends WithAndWithoutAgent {
    /** How long the set-up waits for the agent to install its hooks. */
    private static final long INSTALL_WAIT_SECONDS = 60;

    private final boolean switchHooks =
            Boolean.parseBoolean(System.getProperty("mlguard.bench.switchHooks", "true"));

    private Method install;
    private Object agentHooks;
    private Object noHooks;

    /** The bare turns run the instrumented copy with the hooks off: no second copy is made. */
    @Override
    LongSupplier bareSide(Class<? extends LongSupplier> type) throws Exception {
        // The agent appends mlguard.jar to the bootstrap class path; benchmarks.jar's own copy of
        // these classes is relocated, and a literal of this name would be too.
        String bootstrap = String.join(".", "io", "mlguard", "bootstrap");
        Class<?> dispatcher = Class.forName(bootstrap + ".Dispatcher", true, null);
        Class<?> hooks = Class.forName(bootstrap + ".Hooks", true, null);
        install = dispatcher.getMethod("install", hooks);
        Method current = dispatcher.getMethod("hooks");
        noHooks = hooks.getField("NOOP").get(null);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(INSTALL_WAIT_SECONDS);
        while ((agentHooks = current.invoke(null)) == noHooks) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "the agent installed no hooks in "
                                + INSTALL_WAIT_SECONDS
                                + " s: is it running, and enabled?");
            }
            Thread.sleep(10);
        }
        return hooked();
    }

    @Override
    void beginTurn(boolean instrumented) throws Exception {
        install.invoke(null, instrumented || !switchHooks ? agentHooks : noHooks);
    }
}
