package io.mlguard.core;

import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

/**
 * One hook as data: which methods of which class, and which {@link io.mlguard.bootstrap.Dispatcher}
 * calls the {@link HookWeaver} inserts at their entry and exits. Class loader: agent. It names no
 * Byte Buddy type but ASM's (a few classes), so declaring and weaving hooks at premain loads none
 * of Byte Buddy's description, matching and advice machinery. The same hooks are woven at premain
 * and when the agent attaches to a running JVM.
 */
public final class MethodHook {
    /** What the inserted calls do. */
    enum Shape {
        /** checkAllowed (if enforced), enterInference; exitInference on return and throw. */
        INFERENCE,
        /** The same, but only for a run whose fetch list (a field) is not empty. */
        FETCHING_INFERENCE,
        /** enterModelLoad; exitModelLoad on return and throw. */
        MODEL_LOAD,
        /** enterRequest; exitRequest on return and throw. */
        REQUEST,
        /** enterMessage; exitRequest if it entered, on return and throw. */
        MESSAGE,
        /** The first argument (a {@code Runnable}) is replaced by {@code Dispatcher.wrapTask}. */
        WRAP_TASK
    }

    /** A value handed to the dispatcher: {@code this}, an argument, a field of {@code this}. */
    public static final class Value {
        static final int THIS = 0;
        static final int ARG = 1;
        static final int FIELD = 2;
        static final int ALL_ARGS = 3;
        static final int NULL = 4;

        final int kind;
        final int index;
        final String field;

        private Value(int kind, int index, String field) {
            this.kind = kind;
            this.index = index;
            this.field = field;
        }

        public static Value self() {
            return new Value(THIS, 0, null);
        }

        /** Argument {@code i}, boxed if primitive; {@code null} if the method has fewer. */
        public static Value arg(int i) {
            return new Value(ARG, i, null);
        }

        /** A field of {@code this} (declared by the instrumented class itself). */
        public static Value field(String name) {
            return new Value(FIELD, 0, name);
        }

        /** Every argument in a new {@code Object[]} (primitives boxed): for rare calls only. */
        public static Value allArgs() {
            return new Value(ALL_ARGS, 0, null);
        }

        public static Value none() {
            return new Value(NULL, 0, null);
        }
    }

    /** Which methods: by name and, optionally, argument count and types, modifiers, return type. */
    public static final class Methods {
        private final String[] names;
        private int argCount = -1;
        private final String[] argTypes = new String[4];
        private int requiredAccess;
        private String returnType;

        private Methods(String... names) {
            this.names = names;
        }

        public static Methods named(String... names) {
            return new Methods(names);
        }

        public Methods takesArguments(int n) {
            argCount = n;
            return this;
        }

        /** Argument {@code i} is exactly the class named {@code binaryName}. */
        public Methods takesArgument(int i, String binaryName) {
            argTypes[i] = binaryName;
            return this;
        }

        public Methods isPublic() {
            requiredAccess |= Opcodes.ACC_PUBLIC;
            return this;
        }

        public Methods isPrivateStatic() {
            requiredAccess |= Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC;
            return this;
        }

        public Methods returns(String binaryName) {
            returnType = binaryName;
            return this;
        }

        boolean matches(int access, String name, String descriptor) {
            if ((access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0
                    || (access & requiredAccess) != requiredAccess) {
                return false;
            }
            boolean named = false;
            for (String n : names) {
                named |= n.equals(name);
            }
            if (!named) {
                return false;
            }
            Type[] args = Type.getArgumentTypes(descriptor);
            if (argCount >= 0 && args.length != argCount) {
                return false;
            }
            for (int i = 0; i < argTypes.length; i++) {
                if (argTypes[i] != null
                        && (i >= args.length || !argTypes[i].equals(args[i].getClassName()))) {
                    return false;
                }
            }
            return returnType == null
                    || returnType.equals(Type.getReturnType(descriptor).getClassName());
        }
    }

    /** The instrumented class's binary name, such as {@code ai.onnxruntime.OrtSession}. */
    public final String typeName;

    final Methods methods;
    final Shape shape;
    final int id;
    final boolean enforced;
    final Value a;
    final Value b;
    final Value c;

    private MethodHook(
            String typeName,
            Methods methods,
            Shape shape,
            int id,
            boolean enforced,
            Value a,
            Value b,
            Value c) {
        this.typeName = typeName;
        this.methods = methods;
        this.shape = shape;
        this.id = id;
        this.enforced = enforced;
        this.a = a;
        this.b = b;
        this.c = c;
    }

    /**
     * An inference of {@code runtime} on {@code target} with {@code input}; {@code enforced}: a
     * blocked client's call is refused first ({@code checkAllowed}, which may throw).
     */
    public static MethodHook inference(
            String type, Methods m, int runtime, Value target, Value input, boolean enforced) {
        return new MethodHook(type, m, Shape.INFERENCE, runtime, enforced, target, input, null);
    }

    /** An enforced inference that counts only when the list in {@code fetches} is not empty. */
    public static MethodHook fetchingInference(
            String type, Methods m, int runtime, Value fetches, Value target, Value input) {
        return new MethodHook(
                type, m, Shape.FETCHING_INFERENCE, runtime, true, target, input, fetches);
    }

    /** A model load: the returned value is the model. */
    public static MethodHook modelLoad(
            String type, Methods m, int runtime, Value source, Value options) {
        return new MethodHook(type, m, Shape.MODEL_LOAD, runtime, false, source, options, null);
    }

    /** An HTTP request of {@code server} is handled inside the method. */
    public static MethodHook request(String type, Methods m, int server, Value request) {
        return new MethodHook(type, m, Shape.REQUEST, server, false, request, null, null);
    }

    /** A message that may be an HTTP request, from {@code connection}, is handled inside. */
    public static MethodHook message(
            String type, Methods m, int server, Value message, Value connection) {
        return new MethodHook(type, m, Shape.MESSAGE, server, false, message, connection, null);
    }

    /** The task handed to the method (its first argument) runs in the request's context. */
    public static MethodHook wrapTask(String type, Methods m) {
        return new MethodHook(type, m, Shape.WRAP_TASK, 0, false, null, null, null);
    }

    /**
     * Whether the class is a JDK class loaded before the agent (such as {@code
     * ThreadPoolExecutor}), outside the packages the premain's transformer watches: woven by
     * retransformation ({@link LoadedClassWeaver}), never when it loads.
     */
    public boolean isLoadedEarly() {
        return !io.mlguard.bootstrap.DeferredTransformer.watches(internalName());
    }

    /** The JVM's internal name ({@code ai/onnxruntime/OrtSession}). */
    public String internalName() {
        return typeName.replace('.', '/');
    }
}
