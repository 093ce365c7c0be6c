package io.mlguard.core;

import io.mlguard.bootstrap.Dispatcher;
import io.mlguard.core.config.IgnoredLoaders;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * The agent's weaver: inserts the static {@link Dispatcher} calls of the modules' {@link
 * MethodHook}s into the few classes they name, with two ASM passes over the class file and nothing
 * else. Class loader: agent. At premain it is the transformer the premain's deferred transformer
 * hands the watched classes to; on attach, and for JDK classes loaded before the agent, {@link
 * LoadedClassWeaver} hands it the classes it retransforms.
 *
 * <p>Why not Byte Buddy's {@code Advice}: describing advice and woven classes loads some 550 Byte
 * Buddy classes, and a server that loads its model at start waits for them, and for their
 * compilation, on two cores (measured: ONNX Runtime's first class loaded 1.1 s later than without
 * the agent). This weaver needs only ASM's reader and writer (Byte Buddy's shaded copy). It changes
 * method bodies only: the class, its fields and its methods keep their names, descriptors,
 * modifiers and attributes (no member is added), as retransformation requires.
 */
public final class HookWeaver implements ClassFileTransformer {
    private final Map<String, List<MethodHook>> byInternalName = new HashMap<>();
    private final Instrumentation inst;
    private final AgentCounters counters;
    private final IgnoredLoaders ignored;

    public HookWeaver(List<MethodHook> hooks, Instrumentation inst, AgentCounters counters) {
        this(hooks, inst, counters, IgnoredLoaders.NONE);
    }

    /** A weaver that leaves the classes of the {@code ignored} loaders as they are. */
    public HookWeaver(
            List<MethodHook> hooks,
            Instrumentation inst,
            AgentCounters counters,
            IgnoredLoaders ignored) {
        this.inst = inst;
        this.counters = counters;
        this.ignored = ignored;
        for (MethodHook h : hooks) {
            // no lambda here: this runs on the agent's start path
            List<MethodHook> same = byInternalName.get(h.internalName());
            if (same == null) {
                same = new ArrayList<>();
                byInternalName.put(h.internalName(), same);
            }
            same.add(h);
        }
    }

    /** Whether a class (internal name) is one this weaver changes. */
    public boolean weaves(String internalName) {
        return byInternalName.containsKey(internalName);
    }

    /**
     * Whether a loaded class is one this weaver changes: a hooked class of a loader not ignored.
     */
    public boolean weaves(Class<?> c) {
        return weaves(c.getName().replace('.', '/')) && !ignored.ignores(c.getClassLoader());
    }

    @Override
    public byte[] transform(
            Module module,
            ClassLoader loader,
            String className,
            Class<?> classBeingRedefined,
            ProtectionDomain domain,
            byte[] classfileBuffer) {
        List<MethodHook> hooks = className == null ? null : byInternalName.get(className);
        if (hooks == null) {
            return null;
        }
        String name = className.replace('/', '.');
        if (ignored.ignores(loader)) {
            AgentLog.once(
                    "ignored-" + loader.getClass().getName(),
                    "classes of "
                            + loader.getClass().getName()
                            + " left uninstrumented (ignoreLoaders), "
                            + name
                            + " the first");
            return null;
        }
        try {
            byte[] woven = weave(hooks, classfileBuffer);
            if (woven == null) {
                AgentLog.once("nothing-" + name, "no hooked method found in " + name);
                return null;
            }
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

    /**
     * Weaves one class file; {@code null} when no method matched. The first pass finds the hooked
     * methods' local variable counts (the inserted token goes after them) and the fields' types.
     */
    static byte[] weave(List<MethodHook> hooks, byte[] bytes) {
        ClassReader reader = new ClassReader(bytes);
        Survey survey = new Survey(hooks);
        reader.accept(survey, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        if (survey.maxLocals.isEmpty()) {
            return null;
        }
        ClassWriter writer = new ClassWriter(0);
        reader.accept(new Weave(writer, hooks, survey), ClassReader.EXPAND_FRAMES);
        return writer.toByteArray();
    }

    static MethodHook match(List<MethodHook> hooks, int access, String name, String descriptor) {
        for (MethodHook h : hooks) {
            if (h.methods.matches(access, name, descriptor)) {
                return h;
            }
        }
        return null;
    }

    /** The first pass: fields, and the local variable count of each hooked method. */
    private static final class Survey extends ClassVisitor {
        final List<MethodHook> hooks;
        final Map<String, String> fieldDescriptors = new HashMap<>();
        final Map<String, Integer> maxLocals = new HashMap<>();

        Survey(List<MethodHook> hooks) {
            super(Opcodes.ASM9);
            this.hooks = hooks;
        }

        @Override
        public net.bytebuddy.jar.asm.FieldVisitor visitField(
                int access, String name, String descriptor, String signature, Object value) {
            if ((access & Opcodes.ACC_STATIC) == 0) {
                fieldDescriptors.put(name, descriptor);
            }
            return null;
        }

        @Override
        public MethodVisitor visitMethod(
                int access, String name, String descriptor, String signature, String[] ex) {
            if (match(hooks, access, name, descriptor) == null) {
                return null;
            }
            String key = name + descriptor;
            return new MethodVisitor(Opcodes.ASM9) {
                @Override
                public void visitMaxs(int maxStack, int locals) {
                    maxLocals.put(key, locals);
                }
            };
        }
    }

    /** The second pass: hooked methods go through a {@link HookedMethod}. */
    private static final class Weave extends ClassVisitor {
        final List<MethodHook> hooks;
        final Survey survey;
        String owner;
        boolean frames;

        Weave(ClassWriter writer, List<MethodHook> hooks, Survey survey) {
            super(Opcodes.ASM9, writer);
            this.hooks = hooks;
            this.survey = survey;
        }

        @Override
        public void visit(
                int version,
                int access,
                String name,
                String signature,
                String superName,
                String[] interfaces) {
            owner = name;
            // class files before Java 6 carry no stack map frames; the writer adds none either
            frames = (version & 0xFFFF) >= Opcodes.V1_6;
            super.visit(version, access, name, signature, superName, interfaces);
        }

        @Override
        public MethodVisitor visitMethod(
                int access, String name, String descriptor, String signature, String[] ex) {
            MethodVisitor mv = super.visitMethod(access, name, descriptor, signature, ex);
            MethodHook hook = match(hooks, access, name, descriptor);
            Integer locals = survey.maxLocals.get(name + descriptor);
            if (hook == null || locals == null) {
                return mv;
            }
            return new HookedMethod(
                    mv, hook, owner, access, descriptor, locals, frames, survey.fieldDescriptors);
        }
    }
}
