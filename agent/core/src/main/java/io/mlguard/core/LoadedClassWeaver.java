package io.mlguard.core;

import io.mlguard.core.config.IgnoredLoaders;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Weaves hooks into classes that are already loaded by retransforming them with the {@link
 * HookWeaver}, and into the same classes as they load later. Class loader: agent. It is registered
 * as a retransforming transformer; every other class load costs one map lookup.
 *
 * <p>At premain it handles only the JDK classes loaded before the agent ({@link
 * MethodHook#isLoadedEarly}, such as {@code ThreadPoolExecutor}): {@link #weave}. When the agent is
 * attached to a running JVM it handles every hooked class, of any loader: {@link #attach}. The
 * weaver only changes method bodies (no member, modifier or attribute is added or removed), which
 * is what retransformation allows.
 */
public final class LoadedClassWeaver implements ClassFileTransformer {
    /**
     * On attach, at most this many classes per {@code retransformClasses} call: one call stops the
     * application's threads once, and a class the JVM refuses fails its whole call.
     */
    static final int BATCH = 8;

    private final HookWeaver weaver;

    /** At premain: only classes of the bootstrap loader (the JDK's), which the premain misses. */
    private final boolean bootstrapOnly;

    /** Classes woven as they loaded, after this was registered: they need no retransformation. */
    private final Set<String> wovenAtLoad = ConcurrentHashMap.newKeySet();

    /** Classes whose retransformation this weaver changed. */
    private final AtomicInteger retransformed = new AtomicInteger();

    private LoadedClassWeaver(HookWeaver weaver, boolean bootstrapOnly) {
        this.weaver = weaver;
        this.bootstrapOnly = bootstrapOnly;
    }

    /**
     * At premain: retransforms each JDK class of {@code types}; one that fails is said once and
     * left alone.
     */
    public static void weave(List<MethodHook> types, Instrumentation inst, AgentCounters counters) {
        if (types.isEmpty()) {
            return;
        }
        LoadedClassWeaver w = new LoadedClassWeaver(new HookWeaver(types, inst, counters), true);
        inst.addTransformer(w, true);
        java.util.Set<String> done = new java.util.HashSet<>();
        for (MethodHook t : types) {
            if (!done.add(t.typeName)) {
                continue; // several hooks of one class: retransformed once
            }
            try {
                Class<?> c = Class.forName(t.typeName, false, null);
                if (!w.wovenAtLoad.contains(t.internalName())) {
                    inst.retransformClasses(c);
                }
            } catch (Throwable e) {
                counters.internalErrors.increment();
                AgentLog.info(
                        "could not instrument " + t.typeName + " (" + e + "); the rest works");
            }
        }
    }

    /**
     * When attached to a running JVM: weaves {@code hooks} into every class they name, of any
     * loader, that loads from now on, and retransforms those already loaded in batches of {@link
     * #BATCH}. A class the JVM refuses is said once and left alone; the rest are woven.
     *
     * @return what was done, in one line for the attach's log
     */
    public static String attach(
            List<MethodHook> hooks,
            Instrumentation inst,
            AgentCounters counters,
            IgnoredLoaders ignored) {
        LoadedClassWeaver w =
                new LoadedClassWeaver(new HookWeaver(hooks, inst, counters, ignored), false);
        // registered before the loaded classes are listed: a class loading meanwhile is woven as it
        // loads and may be retransformed too, which weaves its original bytes again, not twice
        inst.addTransformer(w, true);
        List<Class<?>> loaded = new ArrayList<>();
        for (Class<?> c : inst.getAllLoadedClasses()) {
            if (w.weaver.weaves(c) && inst.isModifiableClass(c)) {
                loaded.add(c);
            }
        }
        int[] batchesAndFailures = retransformInBatches(loaded, inst::retransformClasses, counters);
        return "attached: "
                + loaded.size()
                + " hooked classes already loaded, "
                + w.retransformed.get()
                + " woven by retransformation in "
                + batchesAndFailures[0]
                + (batchesAndFailures[0] == 1 ? " batch" : " batches")
                + (batchesAndFailures[1] > 0
                        ? ", " + batchesAndFailures[1] + " could not be instrumented"
                        : "")
                + "; classes loaded from now on are woven as they load";
    }

    /** {@link Instrumentation#retransformClasses}, or a stand-in for tests. */
    interface Retransformer {
        void retransform(Class<?>... classes) throws Exception;
    }

    /**
     * Retransforms {@code classes} in calls of at most {@link #BATCH}; when a call fails, its
     * classes one by one, so that one refused class leaves the others woven.
     *
     * @return the number of batches and the number of classes that failed
     */
    static int[] retransformInBatches(
            List<Class<?>> classes, Retransformer r, AgentCounters counters) {
        int batches = 0;
        int failed = 0;
        for (int from = 0; from < classes.size(); from += BATCH) {
            List<Class<?>> batch = classes.subList(from, Math.min(from + BATCH, classes.size()));
            batches++;
            try {
                r.retransform(batch.toArray(new Class<?>[0]));
            } catch (Throwable batchFailed) {
                for (Class<?> c : batch) {
                    try {
                        r.retransform(c);
                    } catch (Throwable e) {
                        failed++;
                        counters.internalErrors.increment();
                        AgentLog.once(
                                "transform-" + c.getName(),
                                "could not instrument "
                                        + c.getName()
                                        + " ("
                                        + e
                                        + "); the rest works");
                    }
                }
            }
        }
        return new int[] {batches, failed};
    }

    @Override
    public byte[] transform(
            Module module,
            ClassLoader loader,
            String className,
            Class<?> classBeingRedefined,
            ProtectionDomain domain,
            byte[] buffer) {
        if ((bootstrapOnly && loader != null) || className == null || !weaver.weaves(className)) {
            return null;
        }
        byte[] woven =
                weaver.transform(module, loader, className, classBeingRedefined, domain, buffer);
        if (classBeingRedefined == null) {
            wovenAtLoad.add(className);
        } else if (woven != null) {
            retransformed.incrementAndGet();
        }
        return woven;
    }
}
