package io.mlguard.core;

import java.util.Map;
import java.util.WeakHashMap;

/**
 * Maps a runtime's model object (an ONNX Runtime session, a DJL model, a TensorFlow session) to the
 * identity recorded when it was loaded. Class loader: agent. Weak keys, so the agent never keeps a
 * closed model alive; model objects do not override equals, so lookups are by identity.
 *
 * <p>A one-entry cache per thread makes the common case (the same model called again and again)
 * lock-free.
 */
public final class ModelRegistry {
    private final Map<Object, ModelIdentity> byModel = new WeakHashMap<>();

    public synchronized void register(Object model, ModelIdentity identity) {
        byModel.put(model, identity);
    }

    public synchronized ModelIdentity lookup(Object model) {
        return byModel.get(model);
    }

    public synchronized int size() {
        return byModel.size();
    }
}
