package io.mlguard.bootstrap;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.IllegalClassFormatException;
import java.security.ProtectionDomain;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The only transformer registered at premain. Class loader: bootstrap. It lets the agent start in
 * the background: every class outside the watched packages costs one prefix comparison and is left
 * alone; a class the agent may instrument ({@link #waitsFor}) waits until the agent's transformer
 * is ready; once it is, every class of a watched package is handed to it.
 *
 * <p>So the application does not wait for the agent to start unless it loads a class the agent
 * instruments before it is ready, and then only for what remains.
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

    /**
     * Packages in which the agent instruments only the classes named in {@link #TARGETS}: their
     * other classes load at once, even while the agent is still starting (a server that links
     * {@code HttpHandler} at start would otherwise wait for the whole agent). A module that
     * instruments a class of one of these packages adds its name to {@code TARGETS} (each module's
     * test checks that it does); a package not listed here waits for every class, as before.
     */
    static final String[] EXACT_PACKAGES = {
        "ai/onnxruntime/", "ai/djl/", "org/tensorflow/", "com/sun/net/httpserver/"
    };

    /** The classes instrumented in {@link #EXACT_PACKAGES}, as internal names. */
    static final java.util.Set<String> TARGETS =
            java.util.Set.of(
                    "ai/onnxruntime/OrtSession",
                    "ai/onnxruntime/OrtEnvironment",
                    "ai/djl/inference/Predictor",
                    "ai/djl/repository/zoo/Criteria",
                    "org/tensorflow/Session$Runner",
                    "org/tensorflow/ConcreteFunction",
                    "org/tensorflow/SavedModelBundle",
                    "com/sun/net/httpserver/Filter$Chain");

    private static final long WAIT_SECONDS = 60;

    private final CountDownLatch settled = new CountDownLatch(1);

    /** Counted down once the classes of {@link #EXACT_PACKAGES} can be transformed. */
    private final CountDownLatch exactSettled = new CountDownLatch(1);

    /** What transforms the classes of {@link #EXACT_PACKAGES} before the whole agent is ready. */
    private volatile ClassFileTransformer exactDelegate;

    /**
     * A transformer ready for the classes of {@link #EXACT_PACKAGES} only (the model runtimes and
     * the JDK HTTP server), handed to {@link #ready} while the rest of the agent (modules that
     * match class hierarchies, such as Servlet and Netty) is still being built: a server that loads
     * its model at start then waits only for this light part. Bootstrap loader, like its outer
     * class.
     */
    public static final class ExactOnly implements ClassFileTransformer {
        private final ClassFileTransformer transformer;

        public ExactOnly(ClassFileTransformer transformer) {
            this.transformer = transformer;
        }

        /**
         * The light transformer. Public: the premain's copy of {@link DeferredTransformer} can be
         * defined by the application loader while this class comes from the bootstrap path, and
         * private access does not cross loaders.
         */
        public ClassFileTransformer transformer() {
            return transformer;
        }
    }

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
     * Whether a class (internal name) must wait for the agent while it starts: a class the agent
     * may instrument. Every class an instrumentation module names must satisfy this.
     */
    public static boolean waitsFor(String internalName) {
        if (!watches(internalName)) {
            return false;
        }
        for (String p : EXACT_PACKAGES) {
            if (internalName.startsWith(p)) {
                return TARGETS.contains(internalName);
            }
        }
        return true;
    }

    private static boolean isExact(String internalName) {
        for (String p : EXACT_PACKAGES) {
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
        if (transformer instanceof ExactOnly) {
            exactDelegate = ((ExactOnly) transformer).transformer();
            exactSettled.countDown();
            return;
        }
        delegate = transformer;
        settled.countDown();
        exactSettled.countDown();
    }

    /** The agent will not start: watched classes load unchanged, without waiting. */
    public void abandon() {
        settled.countDown();
        exactSettled.countDown();
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
            if (!waitsFor(className)) {
                return null; // not instrumented: loading it need not wait for the agent
            }
            if (Thread.currentThread() == initThread) {
                return null; // the agent's own start-up never waits for itself
            }
            boolean exact = isExact(className);
            try {
                if (!(exact ? exactSettled : settled).await(WAIT_SECONDS, TimeUnit.SECONDS)) {
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
            if (d == null && exact) {
                d = exactDelegate;
            }
            if (d == null) {
                return null;
            }
        }
        return d.transform(module, loader, className, classBeingRedefined, domain, classfileBuffer);
    }
}
