package io.mlguard.core;

import io.mlguard.bootstrap.DeferredTransformer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * One class a module instruments, by exact name, and the Byte Buddy advice woven into its methods
 * when the agent attaches to a running JVM (on an AgentBuilder). Class loader: agent. At premain
 * the same instrumentation is woven from the module's {@link MethodHook}s instead.
 */
public final class TypeAdvice {
    /** Advice applied to the methods one matcher selects. */
    public static final class MethodAdvice {
        public final ElementMatcher<? super MethodDescription> methods;
        public final Class<?> advice;

        MethodAdvice(ElementMatcher<? super MethodDescription> methods, Class<?> advice) {
            this.methods = methods;
            this.advice = advice;
        }
    }

    /** The instrumented class's binary name, such as {@code ai.onnxruntime.OrtSession}. */
    public final String typeName;

    private final List<MethodAdvice> advice = new ArrayList<>();

    private TypeAdvice(String typeName) {
        this.typeName = typeName;
    }

    public static TypeAdvice on(String typeName) {
        return new TypeAdvice(typeName);
    }

    /**
     * Weaves {@code adviceClass} into the methods {@code methods} selects. Advice added first ends
     * up outermost in the woven method.
     */
    public TypeAdvice advise(
            ElementMatcher<? super MethodDescription> methods, Class<?> adviceClass) {
        advice.add(new MethodAdvice(methods, adviceClass));
        return this;
    }

    public List<MethodAdvice> advice() {
        return Collections.unmodifiableList(advice);
    }

    /**
     * Whether the class is a JDK class that is loaded before the agent (such as {@code
     * ThreadPoolExecutor}): one outside the packages the premain's transformer watches. Such a
     * class is woven by retransformation ({@link LoadedClassWeaver}), never when it loads.
     */
    public boolean isLoadedEarly() {
        return !DeferredTransformer.watches(internalName());
    }

    /** The JVM's internal name ({@code ai/onnxruntime/OrtSession}). */
    public String internalName() {
        return typeName.replace('.', '/');
    }
}
