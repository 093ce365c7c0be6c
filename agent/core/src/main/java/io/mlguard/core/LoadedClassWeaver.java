package io.mlguard.core;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Weaves advice into JDK classes that were loaded before the agent ({@link
 * MethodHook#isLoadedEarly}, such as {@code ThreadPoolExecutor}) by retransforming them with the
 * {@link HookWeaver} (or as they load, if not loaded yet). Class loader: agent. Registered as a
 * retransforming transformer that hands over only those bootstrap classes: every later class load
 * costs one map lookup.
 */
public final class LoadedClassWeaver implements ClassFileTransformer {
    private final HookWeaver weaver;

    /** Classes woven as they loaded, after this was registered: they need no retransformation. */
    private final Set<String> wovenAtLoad = ConcurrentHashMap.newKeySet();

    private LoadedClassWeaver(HookWeaver weaver) {
        this.weaver = weaver;
    }

    /** Retransforms each class of {@code types}; one that fails is said once and left alone. */
    public static void weave(List<MethodHook> types, Instrumentation inst, AgentCounters counters) {
        if (types.isEmpty()) {
            return;
        }
        LoadedClassWeaver w = new LoadedClassWeaver(new HookWeaver(types, inst, counters));
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

    @Override
    public byte[] transform(
            Module module,
            ClassLoader loader,
            String className,
            Class<?> classBeingRedefined,
            ProtectionDomain domain,
            byte[] buffer) {
        if (loader != null || className == null || !weaver.weaves(className)) {
            return null;
        }
        byte[] woven =
                weaver.transform(module, null, className, classBeingRedefined, domain, buffer);
        if (classBeingRedefined == null) {
            wovenAtLoad.add(className);
        }
        return woven;
    }
}
