package io.mlguard.bootstrap;

/**
 * The one class that inlined advice calls. Class loader: bootstrap (the agent appends its jar to
 * the bootstrap search path in premain), so that advice woven into classes of any loader, the
 * platform loader's included, can see it.
 *
 * <p>It forwards to the {@link Hooks} the agent installed, and does nothing before that. Every
 * method is a static call with primitive or {@code Object} arguments; none throws (advice also
 * suppresses {@code Throwable}, but the hooks should not rely on that).
 */
public final class Dispatcher {
    /** Runtime ids: the index of the runtime's adapter in the agent. */
    public static final int ONNX_RUNTIME = 0;

    public static final int DJL = 1;
    public static final int TENSORFLOW = 2;

    /** Server ids for request attribution. */
    public static final int JDK_HTTP_SERVER = 0;

    public static final int NETTY = 1;
    public static final int SERVLET_JAKARTA = 2;
    public static final int SERVLET_JAVAX = 3;

    private static volatile Hooks hooks = Hooks.NOOP;

    private Dispatcher() {}

    /** Installs the agent's hooks; {@code null} restores the no-op hooks. */
    public static void install(Hooks h) {
        hooks = h == null ? Hooks.NOOP : h;
    }

    public static Hooks hooks() {
        return hooks;
    }

    /** Throws {@link ClientBlockedException} for a blocked client; the only deliberate throw. */
    public static void checkAllowed(int runtime, Object target) {
        hooks.checkAllowed(runtime, target);
    }

    public static long enterInference(int runtime) {
        return hooks.enterInference(runtime);
    }

    public static void exitInference(
            int runtime, long token, Object target, Object input, Object result, Throwable thrown) {
        hooks.exitInference(runtime, token, target, input, result, thrown);
    }

    public static long enterModelLoad(int runtime) {
        return hooks.enterModelLoad(runtime);
    }

    public static void exitModelLoad(
            int runtime,
            long token,
            Object model,
            Object source,
            Object options,
            Throwable thrown) {
        hooks.exitModelLoad(runtime, token, model, source, options, thrown);
    }

    public static void enterRequest(int server, Object request) {
        hooks.enterRequest(server, request);
    }

    public static void exitRequest(int server) {
        hooks.exitRequest(server);
    }

    /**
     * A server hands a message to a handler ({@code connection} is where it came from): when the
     * message is an HTTP request, a request starts on this thread and this returns {@code true}
     * (the caller then calls {@link #exitRequest}); for any other message it does nothing.
     */
    public static boolean enterMessage(int server, Object message, Object connection) {
        return hooks.enterMessage(server, message, connection);
    }

    /**
     * A task is handed to an executor: returns it wrapped so that it runs in the current request's
     * context, or the task itself when this thread serves no request (the common case, which
     * allocates nothing).
     */
    public static Runnable wrapTask(Runnable task) {
        if (task == null || task instanceof ContextTask) {
            return task;
        }
        Object context = hooks.captureContext();
        if (context == null) {
            return task;
        }
        return task instanceof java.util.concurrent.RunnableFuture
                ? new ContextTask.Future((java.util.concurrent.RunnableFuture<?>) task, context)
                : new ContextTask(task, context);
    }
}
