package io.mlguard.bootstrap;

/**
 * What the agent does when instrumented code reaches a hook. Lives on the bootstrap class loader
 * (with {@link Dispatcher}); the implementation lives in the hidden agent class loader.
 *
 * <p>Arguments are typed {@code Object} so that no runtime or agent type appears in the woven code.
 * Integer ids say which runtime or server called: see {@link Dispatcher}.
 */
public interface Hooks {
    /**
     * Called before an inference when enforcement may apply: throws {@link ClientBlockedException}
     * if the client of the current request may not run it; otherwise returns. Any other failure
     * inside must be swallowed (fail-open).
     */
    void checkAllowed(int runtime, Object target);

    /** Called before an inference; returns a token for {@link #exitInference} (0 when nested). */
    long enterInference(int runtime);

    void exitInference(
            int runtime, long token, Object target, Object input, Object result, Throwable thrown);

    /** Called before a model load; returns a token for {@link #exitModelLoad}. */
    long enterModelLoad(int runtime);

    void exitModelLoad(
            int runtime, long token, Object model, Object source, Object options, Throwable thrown);

    /** An HTTP request starts being handled on this thread. */
    void enterRequest(int server, Object request);

    /** The HTTP request started by the matching {@link #enterRequest} is done on this thread. */
    void exitRequest(int server);

    /**
     * A message reaches a handler; if it is an HTTP request, enters it as {@link #enterRequest}
     * does (with the connection it came from) and returns {@code true}.
     */
    default boolean enterMessage(int server, Object message, Object connection) {
        return false;
    }

    /**
     * The context of the request this thread serves, resolved now (the request may be recycled once
     * the task runs), for a task handed to another thread; {@code null} outside a request.
     */
    default Object captureContext() {
        return null;
    }

    /** A task starts running in a captured context; returns what to restore afterwards. */
    default Object attachContext(Object context) {
        return null;
    }

    /** The task is done: restores what {@link #attachContext} returned. */
    default void detachContext(Object previous) {}

    /** Does nothing: in force until the agent has started, and after it has shut down. */
    Hooks NOOP =
            new Hooks() {
                @Override
                public void checkAllowed(int runtime, Object target) {}

                @Override
                public long enterInference(int runtime) {
                    return 0;
                }

                @Override
                public void exitInference(
                        int runtime,
                        long token,
                        Object target,
                        Object input,
                        Object result,
                        Throwable thrown) {}

                @Override
                public long enterModelLoad(int runtime) {
                    return 0;
                }

                @Override
                public void exitModelLoad(
                        int runtime,
                        long token,
                        Object model,
                        Object source,
                        Object options,
                        Throwable thrown) {}

                @Override
                public void enterRequest(int server, Object request) {}

                @Override
                public void exitRequest(int server) {}
            };
}
