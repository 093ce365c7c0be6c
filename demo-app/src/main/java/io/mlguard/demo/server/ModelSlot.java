package io.mlguard.demo.server;

import java.util.concurrent.atomic.AtomicReference;

/** The current version of one named model, or none when it is unloaded or failed to load. */
final class ModelSlot {
    private final String name;
    private final AtomicReference<LoadedModel> current = new AtomicReference<>();
    private volatile String reason = "";

    ModelSlot(String name) {
        this.name = name;
    }

    String name() {
        return name;
    }

    /** Why the model is not ready, or "" when it is. */
    String reason() {
        return reason;
    }

    /** The current version without taking a reference: for metadata only. */
    LoadedModel peek() {
        return current.get();
    }

    /**
     * A referenced current version, or {@code null}. Lock-free: when a reload closes the version
     * just read, the loop simply picks up its successor.
     */
    LoadedModel acquire() {
        while (true) {
            LoadedModel model = current.get();
            if (model == null || model.tryAcquire()) {
                return model;
            }
        }
    }

    /**
     * Makes {@code next} current (or none) and drops the repository's reference to the previous
     * version, whose session closes once its in-flight requests release it.
     */
    synchronized void replace(LoadedModel next, String whyNotReady) {
        LoadedModel previous = current.getAndSet(next);
        reason = next == null ? whyNotReady : "";
        if (previous != null) {
            previous.release();
        }
    }

    /** Records a failed load while leaving the current version, if any, in service. */
    void loadFailed(String why) {
        if (current.get() == null) {
            reason = why;
        }
    }
}
