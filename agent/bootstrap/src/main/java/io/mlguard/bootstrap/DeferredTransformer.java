package io.mlguard.bootstrap;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.IllegalClassFormatException;
import java.security.ProtectionDomain;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The only transformer registered at premain. Class loader: bootstrap. It lets the agent start in
 * the background: every class outside the watched packages costs one prefix comparison and is left
 * alone; a class the agent instruments ({@link #waitsFor}) waits until the agent's transformer is
 * ready; once it is, every class of a watched package is handed to it.
 *
 * <p>So the application does not wait for the agent to start unless it loads a class the agent
 * instruments before it is ready, and then only for what remains.
 */
public final class DeferredTransformer
        implements ClassFileTransformer, java.util.function.Consumer<ClassFileTransformer> {
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
     * The classes instrumented in the {@link #WATCHED} packages, as internal names: only they wait
     * while the agent starts, the other classes of those packages load at once (a server that links
     * {@code HttpHandler} or Netty's pipeline at start would otherwise wait for the whole agent). A
     * module that instruments a class adds its name here (each module's test checks that it does).
     */
    static final java.util.Set<String> TARGETS =
            java.util.Set.of(
                    "ai/onnxruntime/OrtSession",
                    "ai/onnxruntime/OrtEnvironment",
                    "ai/djl/inference/Predictor",
                    "ai/djl/repository/zoo/Criteria",
                    "org/tensorflow/Session$Runner",
                    "org/tensorflow/ConcreteFunction",
                    "org/tensorflow/SavedModelBundle",
                    "com/sun/net/httpserver/Filter$Chain",
                    "jakarta/servlet/http/HttpServlet",
                    "javax/servlet/http/HttpServlet",
                    "io/netty/channel/AbstractChannelHandlerContext");

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
     * Whether a class (internal name) must wait for the agent while it starts: a class the agent
     * instruments. Every class an instrumentation module names must satisfy this.
     */
    public static boolean waitsFor(String internalName) {
        return TARGETS.contains(internalName) && watches(internalName);
    }

    /**
     * The thread that starts the agent, which never waits for itself. Public, like {@link #ready}
     * and {@link #abandon}: the premain class calling it may live in another loader (the
     * application's or the OpenTelemetry extension loader) than this class (bootstrap), and package
     * access does not cross loaders.
     */
    public void initializingOn(Thread t) {
        initThread = t;
    }

    /** The agent is ready: watched classes go to {@code transformer} from now on. */
    public void ready(ClassFileTransformer transformer) {
        delegate = transformer;
        settled.countDown();
    }

    /**
     * {@link #ready} with a transformer; {@link #abandon} with {@code null} (the agent will not
     * start, or is done starting). The premain's init thread calls it through this JDK interface:
     * no lambda or method reference on the start path.
     */
    @Override
    public void accept(ClassFileTransformer transformer) {
        if (transformer == null) {
            abandon();
        } else {
            ready(transformer);
        }
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
            if (!TARGETS.contains(className)) {
                return null; // not instrumented: loading it need not wait for the agent
            }
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
