package io.mlguard.core;

import io.mlguard.core.MethodHook.Shape;
import io.mlguard.core.MethodHook.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.bytebuddy.jar.asm.Handle;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

/**
 * Weaves one {@link MethodHook} into one method. Class loader: agent. The woven method is:
 *
 * <pre>
 *   token = Dispatcher.enter...(..)           // before the original code
 *   original code, where each return is preceded by
 *       Dispatcher.return...(value, .., token, ..)   (hands the value back)
 *   catch (any) in the original code only: throw Dispatcher.throw...(thrown, .., token, ..)
 * </pre>
 *
 * The token lives in a new local variable after the method's own; every stack map frame of the
 * original code gets it appended. The inserted calls are straight-line code, so the only new frame
 * is the handler's. The catch-all covers the original code only (one range between returns), so an
 * exit call is never made twice, and it is appended after the method's own handlers, which keep
 * precedence.
 */
final class HookedMethod extends MethodVisitor {
    private static final String DISPATCHER = "io/mlguard/bootstrap/Dispatcher";
    private static final String OBJ = "Ljava/lang/Object;";
    private static final String THROWABLE = "Ljava/lang/Throwable;";

    /** Enough for the inserted code's operands above the method's own (at most ten). */
    private static final int EXTRA_STACK = 16;

    private final MethodHook hook;
    private final String owner;
    private final boolean isStatic;
    private final Type[] args;
    private final Type returnType;
    private final int maxLocals;
    private final boolean frames;
    private final Map<String, String> fields;

    /** Frame type of the token ({@code LONG}, {@code INTEGER}) or null when there is none. */
    private final Integer tokenType;

    private final List<Label> ranges = new ArrayList<>();
    private Label rangeStart;

    HookedMethod(
            MethodVisitor mv,
            MethodHook hook,
            String owner,
            int access,
            String descriptor,
            int maxLocals,
            boolean frames,
            Map<String, String> fields) {
        super(Opcodes.ASM9, mv);
        this.hook = hook;
        this.owner = owner;
        this.isStatic = (access & Opcodes.ACC_STATIC) != 0;
        this.args = Type.getArgumentTypes(descriptor);
        this.returnType = Type.getReturnType(descriptor);
        this.maxLocals = maxLocals;
        this.frames = frames;
        this.fields = fields;
        switch (hook.shape) {
            case INFERENCE:
            case FETCHING_INFERENCE:
            case MODEL_LOAD:
                tokenType = Opcodes.LONG;
                break;
            case MESSAGE:
                tokenType = Opcodes.INTEGER;
                break;
            default:
                tokenType = null;
        }
        for (Value v : new Value[] {hook.a, hook.b, hook.c}) {
            if (v != null && v.kind == Value.FIELD && !fields.containsKey(v.field)) {
                throw new IllegalStateException(owner + " has no field " + v.field);
            }
            if (v != null && v.kind == Value.THIS && isStatic) {
                throw new IllegalStateException("no this in a static method of " + owner);
            }
        }
    }

    private boolean hasExit() {
        return hook.shape != Shape.WRAP_TASK;
    }

    // ---- entry

    @Override
    public void visitCode() {
        super.visitCode();
        int id = hook.id;
        switch (hook.shape) {
            case INFERENCE:
                if (hook.enforced) {
                    push(id);
                    load(hook.a);
                    call("checkAllowed", "(I" + OBJ + ")V");
                }
                push(id);
                call("enterInferenceHook", "(I)J");
                super.visitVarInsn(Opcodes.LSTORE, maxLocals);
                break;
            case FETCHING_INFERENCE:
                push(id);
                load(hook.c);
                load(hook.a);
                call("checkFetching", "(I" + OBJ + OBJ + ")V");
                push(id);
                load(hook.c);
                call("enterFetching", "(I" + OBJ + ")J");
                super.visitVarInsn(Opcodes.LSTORE, maxLocals);
                break;
            case MODEL_LOAD:
                push(id);
                call("enterModelLoadHook", "(I)J");
                super.visitVarInsn(Opcodes.LSTORE, maxLocals);
                break;
            case REQUEST:
                push(id);
                load(hook.a);
                call("enterRequestHook", "(I" + OBJ + ")V");
                break;
            case MESSAGE:
                push(id);
                load(hook.a);
                load(hook.b);
                call("enterMessageHook", "(I" + OBJ + OBJ + ")Z");
                super.visitVarInsn(Opcodes.ISTORE, maxLocals);
                break;
            case WRAP_TASK:
                int slot = isStatic ? 0 : 1;
                super.visitVarInsn(Opcodes.ALOAD, slot);
                call("wrapTaskHook", "(Ljava/lang/Runnable;)Ljava/lang/Runnable;");
                super.visitVarInsn(Opcodes.ASTORE, slot);
                break;
            default:
                throw new IllegalStateException(hook.shape.toString());
        }
    }

    // ---- exits

    /** Before a return: the value (if any) is on the stack and stays there. */
    private void onReturn(int opcode) {
        boolean value = opcode == Opcodes.ARETURN;
        if (!value && hook.shape != Shape.REQUEST && hook.shape != Shape.MESSAGE) {
            super.visitInsn(Opcodes.ACONST_NULL); // void or primitive: no value to hand over
        }
        exit("return", OBJ, value);
    }

    /** In the handler: the throwable is on the stack and stays there. */
    private void onThrow() {
        exit("throw", THROWABLE, false);
    }

    private void exit(String kind, String first, boolean returnsValue) {
        int id = hook.id;
        switch (hook.shape) {
            case INFERENCE:
                push(id);
                super.visitVarInsn(Opcodes.LLOAD, maxLocals);
                load(hook.a);
                load(hook.b);
                call(kind + "Inference", "(" + first + "IJ" + OBJ + OBJ + ")" + first);
                break;
            case FETCHING_INFERENCE:
                push(id);
                super.visitVarInsn(Opcodes.LLOAD, maxLocals);
                load(hook.c);
                load(hook.a);
                load(hook.b);
                call(kind + "Fetching", "(" + first + "IJ" + OBJ + OBJ + OBJ + ")" + first);
                break;
            case MODEL_LOAD:
                push(id);
                super.visitVarInsn(Opcodes.LLOAD, maxLocals);
                load(hook.a);
                load(hook.b);
                call(kind + "ModelLoad", "(" + first + "IJ" + OBJ + OBJ + ")" + first);
                break;
            case REQUEST:
                push(id);
                call("exitRequestHook", "(I)V");
                return;
            case MESSAGE:
                push(id);
                super.visitVarInsn(Opcodes.ILOAD, maxLocals);
                call("exitMessage", "(IZ)V");
                return;
            default:
                throw new IllegalStateException(hook.shape.toString());
        }
        if (kind.equals("return")) {
            if (returnsValue) {
                super.visitTypeInsn(Opcodes.CHECKCAST, returnType.getInternalName());
            } else {
                super.visitInsn(Opcodes.POP); // the null pushed for a method without a value
            }
        }
    }

    // ---- the original code, in ranges between returns

    private void code() {
        if (rangeStart == null && hasExit()) {
            rangeStart = new Label();
            super.visitLabel(rangeStart);
        }
    }

    @Override
    public void visitInsn(int opcode) {
        code();
        if (opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN && hasExit()) {
            Label end = new Label();
            super.visitLabel(end);
            ranges.add(rangeStart);
            ranges.add(end);
            rangeStart = null;
            onReturn(opcode);
        }
        super.visitInsn(opcode);
    }

    @Override
    public void visitFrame(int type, int nLocal, Object[] local, int nStack, Object[] stack) {
        code();
        if (type != Opcodes.F_NEW) {
            throw new IllegalStateException("frames must be expanded");
        }
        List<Object> locals = new ArrayList<>();
        int slots = 0;
        for (int i = 0; i < nLocal; i++) {
            locals.add(local[i]);
            slots += local[i] == Opcodes.LONG || local[i] == Opcodes.DOUBLE ? 2 : 1;
        }
        Object[] extended = withToken(locals, slots);
        super.visitFrame(Opcodes.F_NEW, extended.length, extended, nStack, stack);
    }

    /** The locals padded to the method's own count, then the token. */
    private Object[] withToken(List<Object> locals, int slots) {
        if (tokenType != null) {
            for (int s = slots; s < maxLocals; s++) {
                locals.add(Opcodes.TOP);
            }
            locals.add(tokenType);
        }
        return locals.toArray();
    }

    @Override
    public void visitLabel(Label label) {
        code();
        super.visitLabel(label);
    }

    @Override
    public void visitIntInsn(int opcode, int operand) {
        code();
        super.visitIntInsn(opcode, operand);
    }

    @Override
    public void visitVarInsn(int opcode, int var) {
        code();
        super.visitVarInsn(opcode, var);
    }

    @Override
    public void visitTypeInsn(int opcode, String type) {
        code();
        super.visitTypeInsn(opcode, type);
    }

    @Override
    public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
        code();
        super.visitFieldInsn(opcode, owner, name, descriptor);
    }

    @Override
    public void visitMethodInsn(
            int opcode, String owner, String name, String descriptor, boolean isInterface) {
        code();
        super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
    }

    @Override
    public void visitInvokeDynamicInsn(
            String name, String descriptor, Handle bootstrap, Object... bootstrapArgs) {
        code();
        super.visitInvokeDynamicInsn(name, descriptor, bootstrap, bootstrapArgs);
    }

    @Override
    public void visitJumpInsn(int opcode, Label label) {
        code();
        super.visitJumpInsn(opcode, label);
    }

    @Override
    public void visitLdcInsn(Object value) {
        code();
        super.visitLdcInsn(value);
    }

    @Override
    public void visitIincInsn(int var, int increment) {
        code();
        super.visitIincInsn(var, increment);
    }

    @Override
    public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
        code();
        super.visitTableSwitchInsn(min, max, dflt, labels);
    }

    @Override
    public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
        code();
        super.visitLookupSwitchInsn(dflt, keys, labels);
    }

    @Override
    public void visitMultiANewArrayInsn(String descriptor, int numDimensions) {
        code();
        super.visitMultiANewArrayInsn(descriptor, numDimensions);
    }

    @Override
    public void visitMaxs(int maxStack, int locals) {
        if (hasExit()) {
            if (rangeStart != null) {
                Label end = new Label();
                super.visitLabel(end);
                ranges.add(rangeStart);
                ranges.add(end);
                rangeStart = null;
            }
            Label handler = new Label();
            boolean any = false;
            for (int i = 0; i < ranges.size(); i += 2) {
                // an empty range (a return right after another) is not a valid table entry
                if (ranges.get(i).getOffset() < ranges.get(i + 1).getOffset()) {
                    super.visitTryCatchBlock(ranges.get(i), ranges.get(i + 1), handler, null);
                    any = true;
                }
            }
            if (any) {
                super.visitLabel(handler);
                if (frames) {
                    Object[] handlerLocals = withToken(entryLocals(), entrySlots());
                    super.visitFrame(
                            Opcodes.F_NEW,
                            handlerLocals.length,
                            handlerLocals,
                            1,
                            new Object[] {"java/lang/Throwable"});
                }
                onThrow();
                super.visitInsn(Opcodes.ATHROW);
            }
        }
        super.visitMaxs(maxStack + EXTRA_STACK, maxLocals + 2);
    }

    /** The locals at entry: {@code this} and the arguments, as frame types. */
    private List<Object> entryLocals() {
        List<Object> l = new ArrayList<>();
        if (!isStatic) {
            l.add(owner);
        }
        for (Type t : args) {
            switch (t.getSort()) {
                case Type.BOOLEAN:
                case Type.BYTE:
                case Type.CHAR:
                case Type.SHORT:
                case Type.INT:
                    l.add(Opcodes.INTEGER);
                    break;
                case Type.FLOAT:
                    l.add(Opcodes.FLOAT);
                    break;
                case Type.LONG:
                    l.add(Opcodes.LONG);
                    break;
                case Type.DOUBLE:
                    l.add(Opcodes.DOUBLE);
                    break;
                default:
                    l.add(t.getInternalName());
            }
        }
        return l;
    }

    private int entrySlots() {
        int s = isStatic ? 0 : 1;
        for (Type t : args) {
            s += t.getSize();
        }
        return s;
    }

    // ---- emitting

    private void push(int value) {
        if (value >= -1 && value <= 5) {
            super.visitInsn(Opcodes.ICONST_0 + value);
        } else {
            super.visitIntInsn(Opcodes.BIPUSH, value);
        }
    }

    private void call(String name, String descriptor) {
        super.visitMethodInsn(Opcodes.INVOKESTATIC, DISPATCHER, name, descriptor, false);
    }

    private void load(Value v) {
        if (v == null) {
            super.visitInsn(Opcodes.ACONST_NULL);
            return;
        }
        switch (v.kind) {
            case Value.THIS:
                super.visitVarInsn(Opcodes.ALOAD, 0);
                break;
            case Value.ARG:
                if (v.index < args.length) {
                    loadArg(v.index);
                } else {
                    super.visitInsn(Opcodes.ACONST_NULL);
                }
                break;
            case Value.FIELD:
                super.visitVarInsn(Opcodes.ALOAD, 0);
                super.visitFieldInsn(Opcodes.GETFIELD, owner, v.field, fields.get(v.field));
                break;
            case Value.ALL_ARGS:
                push(args.length);
                super.visitTypeInsn(Opcodes.ANEWARRAY, "java/lang/Object");
                for (int i = 0; i < args.length; i++) {
                    super.visitInsn(Opcodes.DUP);
                    push(i);
                    loadArg(i);
                    super.visitInsn(Opcodes.AASTORE);
                }
                break;
            default:
                super.visitInsn(Opcodes.ACONST_NULL);
        }
    }

    /** Argument {@code i}, boxed if primitive. */
    private void loadArg(int i) {
        int slot = isStatic ? 0 : 1;
        for (int j = 0; j < i; j++) {
            slot += args[j].getSize();
        }
        Type t = args[i];
        super.visitVarInsn(t.getOpcode(Opcodes.ILOAD), slot);
        String box;
        switch (t.getSort()) {
            case Type.BOOLEAN:
                box = "java/lang/Boolean";
                break;
            case Type.BYTE:
                box = "java/lang/Byte";
                break;
            case Type.CHAR:
                box = "java/lang/Character";
                break;
            case Type.SHORT:
                box = "java/lang/Short";
                break;
            case Type.INT:
                box = "java/lang/Integer";
                break;
            case Type.FLOAT:
                box = "java/lang/Float";
                break;
            case Type.LONG:
                box = "java/lang/Long";
                break;
            case Type.DOUBLE:
                box = "java/lang/Double";
                break;
            default:
                return;
        }
        super.visitMethodInsn(
                Opcodes.INVOKESTATIC,
                box,
                "valueOf",
                "(" + t.getDescriptor() + ")L" + box + ";",
                false);
    }
}
