package io.mlguard.bootstrap;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.IllegalClassFormatException;
import java.security.ProtectionDomain;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The only transformer registered at premain. Class loader: bootstrap. It lets the agent start in
 * the background: every class outside the watched packages costs one prefix comparison and is left
 * alone; a class of a watched package (a runtime or HTTP server the agent instruments) waits until
 * the agent's Byte Buddy transformer is ready and is then handed to it.
 *
 * <p>So the application does not wait for Byte Buddy and Chronicle to load (about a second on two
 * cores) unless it loads a model runtime before they are ready, and then only for what remains.
 */
public final class DeferredTransformer implements ClassFileTransformer {
    /**
     * Internal-name prefixes of the packages any instrumentation module instruments. A new module
     * for a new package adds its prefix here (a test in each module checks that it does).
     */
    static final String[] WATCHED = {
        "ai/onnxruntime/",
        "ai/djl/",
        "org/tensorflow/",
        "com/sun/net/httpserver/",
        "jakarta/servlet/",
        "javax/servlet/",
        "io/netty/"
    };

    private static final long WAIT_SECONDS = 60;

    private final CountDownLatch settled = new CountDownLatch(1);
    private volatile ClassFileTransformer delegate;
    private volatile Thread initThread;

    /** Whether a class (internal name) belongs to a watched package. */
    public static boolean watches(String internalName) {
        for (String p : WATCHED) {
            if (internalName.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The thread that starts the agent, which never waits for itself. Public, like {@link
     * #abandon}: the premain class calling it may live in another loader (the OpenTelemetry
     * extension loader) than this class (bootstrap), and package access does not cross loaders.
     */
    public void initializingOn(Thread t) {
        initThread = t;
    }

    /** The agent is ready: watched classes go to {@code transformer} from now on. */
    public void ready(ClassFileTransformer transformer) {
        delegate = transformer;
        settled.countDown();
    }

    /** The agent will not start: watched classes load unchanged, without waiting. */
    public void abandon() {
        settled.countDown();
    }

    @Override
    public byte[] transform(
            Module module,
            ClassLoader loader,
            String className,
            Class<?> classBeingRedefined,
            ProtectionDomain domain,
            byte[] classfileBuffer)
            throws IllegalClassFormatException {
        if (className == null || !watches(className)) {
            return null;
        }
        ClassFileTransformer d = delegate;
        if (d == null) {
            if (Thread.currentThread() == initThread) {
                return null; // the agent's own start-up never waits for itself
            }
            try {
                if (!settled.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                    System.err.println(
                            "[mlguard] agent not ready after "
                                    + WAIT_SECONDS
                                    + " s; "
                                    + className
                                    + " loads without instrumentation");
                    return null;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
            d = delegate;
            if (d == null) {
                return null;
            }
        }
        return d.transform(module, loader, className, classBeingRedefined, domain, classfileBuffer);
    }
}
