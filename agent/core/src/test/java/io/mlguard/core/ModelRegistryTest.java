package io.mlguard.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.ref.WeakReference;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Models are found by identity, through a per-thread cache that never goes out of date. */
class ModelRegistryTest {
    private final ModelRegistry registry = new ModelRegistry();

    @Test
    void aCachedLookupFindsWhatTheRegistryHolds() {
        Object a = new Object();
        Object b = new Object();
        ModelIdentity ida = new ModelIdentity("a", 1);
        ModelIdentity idb = new ModelIdentity("b", 2);
        registry.register(a, ida);
        registry.register(b, idb);
        ModelRegistry.Cache cache = new ModelRegistry.Cache();
        assertThat(registry.lookup(a, cache)).isSameAs(ida);
        assertThat(registry.lookup(a, cache)).isSameAs(ida);
        assertThat(registry.lookup(b, cache)).as("another model").isSameAs(idb);
        assertThat(registry.lookup(a, cache)).isSameAs(ida);
        assertThat(registry.lookup(new Object(), cache)).as("unknown").isNull();
        assertThat(registry.lookup(a, cache)).as("an unknown model is not cached").isSameAs(ida);
    }

    @Test
    void aRegistrationAfterTheCacheWasFilledIsSeen() {
        Object session = new Object();
        ModelRegistry.Cache cache = new ModelRegistry.Cache();
        assertThat(registry.lookup(session, cache)).isNull();
        ModelIdentity unknown = new ModelIdentity("onnx-session", 0);
        registry.register(session, unknown);
        assertThat(registry.lookup(session, cache)).isSameAs(unknown);
        // the same session registered again, as a load seen later would
        ModelIdentity loaded = new ModelIdentity("mnist", 42);
        registry.register(session, loaded);
        assertThat(registry.lookup(session, cache)).isSameAs(loaded);
    }

    @Test
    void aRegistrationOnAnotherThreadIsSeenByACacheOfThisOne() throws Exception {
        Object session = new Object();
        registry.register(session, new ModelIdentity("first", 1));
        ModelRegistry.Cache cache = new ModelRegistry.Cache();
        assertThat(registry.lookup(session, cache).modelId).isEqualTo("first");
        CountDownLatch done = new CountDownLatch(1);
        Thread t =
                new Thread(
                        () -> {
                            registry.register(session, new ModelIdentity("second", 2));
                            done.countDown();
                        });
        t.start();
        done.await();
        assertThat(registry.lookup(session, cache).modelId).isEqualTo("second");
    }

    @Test
    void theCacheDoesNotKeepAModelAlive() throws Exception {
        ModelRegistry.Cache cache = new ModelRegistry.Cache();
        AtomicReference<WeakReference<Object>> gone = new AtomicReference<>();
        register(cache, gone);
        for (int i = 0; i < 50 && gone.get().get() != null; i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertThat(gone.get().get()).as("the model, held by the registry and a cache").isNull();
        assertThat(registry.size()).isZero();
    }

    /** Registers and looks up a model that only {@code gone} knows of afterwards. */
    private void register(ModelRegistry.Cache cache, AtomicReference<WeakReference<Object>> gone) {
        Object model = new Object();
        ModelIdentity id = new ModelIdentity("m", 3);
        registry.register(model, id);
        assertThat(registry.lookup(model, cache)).isSameAs(id);
        gone.set(new WeakReference<>(model));
    }
}
