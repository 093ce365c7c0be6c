package io.mlguard.core;

import io.mlguard.bootstrap.Dispatcher;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import net.bytebuddy.ClassFileVersion;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.scaffold.TypeInitializer;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.implementation.auxiliary.AuxiliaryType;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.pool.TypePool;
import net.bytebuddy.utility.OpenedClassReader;

/**
 * The agent's transformer at premain: weaves Byte Buddy {@link Advice} into the few classes the
 * modules name, with one ASM pass over the class file and nothing else. Class loader: agent.
 *
 * <p>Byte Buddy's {@code AgentBuilder} would do the same through its type writer, method graphs and
 * matching pipeline: about twice as many classes to load, on the application's start path, since a
 * server that loads its model at start needs the first woven class at once. Classes are described
 * from their bytes ({@link TypePool}), never loaded; no class format change is made, so the same
 * advice can also be applied by retransformation when attaching.
 */
public final class AdviceWeaver implements ClassFileTransformer {
    private final Map<String, List<TypeAdvice.MethodAdvice>> byInternalName = new HashMap<>();

    /** The woven advice of each class, built when the class first loads. */
    private final Map<String, AsmVisitorWrapper> wrappers = new ConcurrentHashMap<>();

    private final ClassFileLocator own;
    private final TypePool advicePool;
    private final Instrumentation inst;
    private final AgentCounters counters;

    /**
     * Nothing is parsed here: the advice of a class is read by {@link #prepare} or when that class
     * first loads, so a server pays only for the libraries it has (a servlet container never parses
     * the DJL advice) and the weaver is ready at once.
     */
    public AdviceWeaver(List<TypeAdvice> types, Instrumentation inst, AgentCounters counters) {
        this.inst = inst;
        this.counters = counters;
        for (TypeAdvice t : types) {
            byInternalName
                    .computeIfAbsent(t.internalName(), k -> new ArrayList<>())
                    .addAll(t.advice());
        }
        own = ClassFileLocator.ForClassLoader.of(AdviceWeaver.class.getClassLoader());
        // the advice classes are read from their class files, as the woven classes are: described
        // by reflection instead, their annotations would cost proxies and method handles at start
        advicePool = TypePool.Default.of(own);
    }

    /** Whether a class (internal name) is one this weaver changes. */
    public boolean weaves(String internalName) {
        return byInternalName.containsKey(internalName);
    }

    /**
     * Reads, in the calling (background) thread, the advice of the instrumented classes that {@code
     * probe} can find as resources: those the application is likely to load, so that the thread
     * which loads them does not read it. The others are read if and when they load.
     */
    public void prepare(ClassLoader probe) {
        for (String name : byInternalName.keySet()) {
            if (probe.getResource(name + ".class") != null) {
                wrapper(name);
            }
        }
    }

    private AsmVisitorWrapper wrapper(String internalName) {
        AsmVisitorWrapper w = wrappers.get(internalName);
        // built at most once; a thread loading the class while another builds it waits for it
        return w != null ? w : wrappers.computeIfAbsent(internalName, this::build);
    }

    private AsmVisitorWrapper build(String internalName) {
        List<AsmVisitorWrapper> list = new ArrayList<>();
        for (TypeAdvice.MethodAdvice m : byInternalName.get(internalName)) {
            TypeDescription advice = advicePool.describe(m.advice.getName()).resolve();
            list.add(Advice.to(advice, own).on(m.methods));
        }
        return new AsmVisitorWrapper.Compound(list);
    }

    @Override
    public byte[] transform(
            Module module,
            ClassLoader loader,
            String className,
            Class<?> classBeingRedefined,
            ProtectionDomain domain,
            byte[] classfileBuffer) {
        if (className == null || !byInternalName.containsKey(className)) {
            return null;
        }
        String name = className.replace('/', '.');
        try {
            byte[] woven = weave(wrapper(className), name, loader, classfileBuffer);
            assureReadEdge(module);
            AgentLog.debug("instrumented " + name);
            return woven;
        } catch (Throwable t) {
            counters.internalErrors.increment();
            AgentLog.once(
                    "transform-" + name, "could not instrument " + name + ", left unchanged: " + t);
            return null;
        }
    }

    /** A class in a named module (the JDK's HTTP server) must read the dispatcher's module. */
    private void assureReadEdge(Module module) {
        Module dispatcher = Dispatcher.class.getModule();
        if (module != null && module.isNamed() && !module.canRead(dispatcher)) {
            inst.redefineModule(module, Set.of(dispatcher), Map.of(), Map.of(), Set.of(), Map.of());
        }
    }

    /** Weaves one class file; visible for tests. */
    static byte[] weave(AsmVisitorWrapper wrapper, String name, ClassLoader loader, byte[] bytes) {
        ClassFileLocator locator =
                new ClassFileLocator.Compound(
                        ClassFileLocator.Simple.of(name, bytes),
                        ClassFileLocator.ForClassLoader.of(loader));
        TypePool pool = TypePool.Default.of(locator);
        TypeDescription type = pool.describe(name).resolve();
        ClassFileVersion version = ClassFileVersion.ofClassFile(bytes);
        Implementation.Context context =
                Implementation.Context.Disabled.Factory.INSTANCE.make(
                        type,
                        new AuxiliaryType.NamingStrategy.Suffixing("mlguard"),
                        TypeInitializer.None.INSTANCE,
                        version,
                        version);
        int writerFlags = wrapper.mergeWriter(AsmVisitorWrapper.NO_FLAGS);
        int readerFlags = wrapper.mergeReader(AsmVisitorWrapper.NO_FLAGS);
        if ((writerFlags & ClassWriter.COMPUTE_FRAMES) != 0) {
            // ASM would load classes through the agent's loader to merge frames; never needed by
            // advice, which writes its own frames
            throw new IllegalStateException("advice asks for frame computation");
        }
        ClassReader reader = OpenedClassReader.of(bytes);
        ClassWriter writer = new ClassWriter(reader, writerFlags);
        reader.accept(
                wrapper.wrap(
                        type,
                        writer,
                        context,
                        pool,
                        type.getDeclaredFields(),
                        type.getDeclaredMethods(),
                        writerFlags,
                        readerFlags),
                readerFlags);
        return writer.toByteArray();
    }
}
