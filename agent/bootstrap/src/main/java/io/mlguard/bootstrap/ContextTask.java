package io.mlguard.bootstrap;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.RunnableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A task handed to an executor while a request was being served: it runs the task in that request's
 * context, so an inference on the executor's thread is attributed to the request's client. Class
 * loader: bootstrap, since the executor classes that create it are JDK classes.
 *
 * <p>It exists only for tasks submitted inside a request. {@link Future} keeps a {@code
 * RunnableFuture} one ({@code submit}) a {@code Future} for executors whose {@code afterExecute}
 * reads the outcome of {@code r instanceof Future}.
 */
class ContextTask implements Runnable {
    private final Runnable task;
    private final Object context;

    ContextTask(Runnable task, Object context) {
        this.task = task;
        this.context = context;
    }

    @Override
    public void run() {
        Hooks h = Dispatcher.hooks();
        Object previous = h.attachContext(context);
        try {
            task.run();
        } finally {
            h.detachContext(previous);
        }
    }

    @Override
    public String toString() {
        return task.toString();
    }

    /** A wrapped {@code RunnableFuture} that is still a {@code Future} of the same outcome. */
    static final class Future extends ContextTask implements RunnableFuture<Object> {
        private final RunnableFuture<?> future;

        Future(RunnableFuture<?> future, Object context) {
            super(future, context);
            this.future = future;
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            return future.cancel(mayInterruptIfRunning);
        }

        @Override
        public boolean isCancelled() {
            return future.isCancelled();
        }

        @Override
        public boolean isDone() {
            return future.isDone();
        }

        @Override
        public Object get() throws InterruptedException, ExecutionException {
            return future.get();
        }

        @Override
        public Object get(long timeout, TimeUnit unit)
                throws InterruptedException, ExecutionException, TimeoutException {
            return future.get(timeout, unit);
        }
    }
}
