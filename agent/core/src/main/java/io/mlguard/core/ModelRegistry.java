package io.mlguard.core;

import java.lang.ref.WeakReference;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Maps a runtime's model object (an ONNX Runtime session, a DJL model, a TensorFlow session) to the
 * identity recorded when it was loaded. Class loader: agent. Weak keys, so the agent never keeps a
 * closed model alive; model objects do not override equals, so lookups are by identity.
 *
 * <p>A one-entry cache per thread ({@link Cache}) makes the common case, the same model called
 * again and again, free of the registry's lock: every serving thread would otherwise take it for
 * every inference.
 */
public final class ModelRegistry {
    private final Map<Object, ModelIdentity> byModel = new WeakHashMap<>();

    /** Bumped by every registration: a cache filled before it may be out of date. */
    private volatile int version;

    public synchronized void register(Object model, ModelIdentity identity) {
        byModel.put(model, identity);
        version++;
    }

    public synchronized ModelIdentity lookup(Object model) {
        return byModel.get(model);
    }

    /**
     * {@link #lookup(Object)} through one thread's {@code cache}: the last model this thread looked
     * up, if no registration came since, else the registry (which then fills the cache).
     */
    public ModelIdentity lookup(Object model, Cache cache) {
        int v = version; // read first: a registration meanwhile leaves the cache out of date
        if (cache.version == v && cache.identity != null && cache.model.get() == model) {
            return cache.identity;
        }
        ModelIdentity id = lookup(model);
        if (id != null) {
            if (cache.model.get() != model) {
                cache.model = new WeakReference<>(model); // only when the thread's model changes
            }
            cache.identity = id;
            cache.version = v;
        }
        return id;
    }

    public synchronized int size() {
        return byModel.size();
    }

    /** One thread's last lookup; the model is held weakly, as by the registry. */
    public static final class Cache {
        private WeakReference<Object> model = new WeakReference<>(null);
        private ModelIdentity identity;
        private int version;
    }
}
