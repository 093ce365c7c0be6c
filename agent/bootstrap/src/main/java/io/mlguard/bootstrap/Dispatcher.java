package io.mlguard.bootstrap;

/**
 * The one class the woven hooks call. Class loader: bootstrap (the agent appends its jar to the
 * bootstrap search path in premain or on attach), so that hooks woven into classes of any loader,
 * the platform loader's included, can see it.
 *
 * <p>It forwards to the {@link Hooks} the agent installed, and does nothing before that. Every
 * method is a static call with primitive or {@code Object} arguments.
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

    // The entry points below are the calls the agent's hook weaver (agent core's HookWeaver)
    // inserts: each swallows its own failures, and the exits take the returned value or the thrown
    // exception first and hand it back, so the woven code needs no local variable and no branch
    // for it.

    /** {@link Hooks#enterInference}, failing to 0 (no record). */
    public static long enterInferenceHook(int runtime) {
        try {
            return hooks.enterInference(runtime);
        } catch (Throwable t) {
            return 0;
        }
    }

    /** {@link Hooks#exitInference} for a call that returned {@code result}; returns it. */
    public static Object returnInference(
            Object result, int runtime, long token, Object target, Object input) {
        try {
            hooks.exitInference(runtime, token, target, input, result, null);
        } catch (Throwable t) {
            // fail-open
        }
        return result;
    }

    /** {@link Hooks#exitInference} for a call that threw {@code thrown}; returns it. */
    public static Throwable throwInference(
            Throwable thrown, int runtime, long token, Object target, Object input) {
        try {
            hooks.exitInference(runtime, token, target, input, null, thrown);
        } catch (Throwable t) {
            // fail-open
        }
        return thrown;
    }

    /**
     * A run that fetches nothing ({@code fetches}, a {@code List}, is empty) only executes targets
     * (initialisers, saves): it is not an inference, is never refused and makes no record.
     */
    private static boolean fetchesSomething(Object fetches) {
        return fetches instanceof java.util.List && !((java.util.List<?>) fetches).isEmpty();
    }

    /** {@link #checkAllowed} for a run that fetches something. */
    public static void checkFetching(int runtime, Object fetches, Object target) {
        if (fetchesSomething(fetches)) {
            hooks.checkAllowed(runtime, target);
        }
    }

    /** {@link #enterInferenceHook} for a run that fetches something; 0 otherwise. */
    public static long enterFetching(int runtime, Object fetches) {
        try {
            return fetchesSomething(fetches) ? hooks.enterInference(runtime) : 0;
        } catch (Throwable t) {
            return 0;
        }
    }

    /** {@link #returnInference} for a run that fetches something; returns {@code result}. */
    public static Object returnFetching(
            Object result, int runtime, long token, Object fetches, Object target, Object input) {
        try {
            if (fetchesSomething(fetches)) {
                hooks.exitInference(runtime, token, target, input, result, null);
            }
        } catch (Throwable t) {
            // fail-open
        }
        return result;
    }

    /** {@link #throwInference} for a run that fetches something; returns {@code thrown}. */
    public static Throwable throwFetching(
            Throwable thrown,
            int runtime,
            long token,
            Object fetches,
            Object target,
            Object input) {
        try {
            if (fetchesSomething(fetches)) {
                hooks.exitInference(runtime, token, target, input, null, thrown);
            }
        } catch (Throwable t) {
            // fail-open
        }
        return thrown;
    }

    /** {@link Hooks#enterModelLoad}, failing to 0. */
    public static long enterModelLoadHook(int runtime) {
        try {
            return hooks.enterModelLoad(runtime);
        } catch (Throwable t) {
            return 0;
        }
    }

    /** {@link Hooks#exitModelLoad} for a load that returned {@code model}; returns it. */
    public static Object returnModelLoad(
            Object model, int runtime, long token, Object source, Object options) {
        try {
            hooks.exitModelLoad(runtime, token, model, source, options, null);
        } catch (Throwable t) {
            // fail-open
        }
        return model;
    }

    /** {@link Hooks#exitModelLoad} for a load that threw {@code thrown}; returns it. */
    public static Throwable throwModelLoad(
            Throwable thrown, int runtime, long token, Object source, Object options) {
        try {
            hooks.exitModelLoad(runtime, token, null, source, options, thrown);
        } catch (Throwable t) {
            // fail-open
        }
        return thrown;
    }

    /** {@link Hooks#enterRequest}, swallowing failures. */
    public static void enterRequestHook(int server, Object request) {
        try {
            hooks.enterRequest(server, request);
        } catch (Throwable t) {
            // fail-open
        }
    }

    /** {@link Hooks#exitRequest}, swallowing failures. */
    public static void exitRequestHook(int server) {
        try {
            hooks.exitRequest(server);
        } catch (Throwable t) {
            // fail-open
        }
    }

    /** {@link Hooks#enterMessage}, failing to {@code false}. */
    public static boolean enterMessageHook(int server, Object message, Object connection) {
        try {
            return hooks.enterMessage(server, message, connection);
        } catch (Throwable t) {
            return false;
        }
    }

    /** Ends the request {@link #enterMessageHook} entered, if it did. */
    public static void exitMessage(int server, boolean entered) {
        if (entered) {
            exitRequestHook(server);
        }
    }

    /** {@link #wrapTask}, failing to the task itself. */
    public static Runnable wrapTaskHook(Runnable task) {
        try {
            return wrapTask(task);
        } catch (Throwable t) {
            return task;
        }
    }
}
