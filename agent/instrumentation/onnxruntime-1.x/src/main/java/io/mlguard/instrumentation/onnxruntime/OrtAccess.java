package io.mlguard.instrumentation.onnxruntime;

import io.mlguard.protocol.DType;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.nio.Buffer;
import java.nio.ByteBuffer;

/**
 * Method handles into one copy of ONNX Runtime's classes, resolved once per class loader that holds
 * ONNX Runtime. Class loader: agent, which cannot see the application's ONNX Runtime classes by
 * name; it finds them through the class of the session it was handed.
 *
 * <p>Tensor data is read through {@code OnnxTensor}'s private {@code getBuffer()}, a direct view of
 * the native tensor, instead of the public getters that copy it; if a version lacks it, the public
 * {@code getByteBuffer()} copy is used.
 */
final class OrtAccess {
    private static final MethodType OBJECT_OF_OBJECT =
            MethodType.methodType(Object.class, Object.class);

    private static final ClassValue<OrtAccess> BY_SESSION_CLASS =
            new ClassValue<>() {
                @Override
                protected OrtAccess computeValue(Class<?> sessionClass) {
                    try {
                        return new OrtAccess(sessionClass.getClassLoader());
                    } catch (ReflectiveOperationException e) {
                        throw new IllegalStateException(
                                "unsupported ONNX Runtime version: " + e, e);
                    }
                }
            };

    final Class<?> onnxTensor;
    private final MethodHandle getInfo;
    private final MethodHandle getShape;
    private final MethodHandle getType;
    private final MethodHandle getBuffer;
    private final MethodHandle ownedBuffer;
    private final MethodHandle resultMap;
    final Method getMetadata;
    private final MethodHandle getInputNames;
    final Class<?> sessionOptions;

    /** By {@code OnnxJavaType} ordinal; made on first use (racy, but any copy is the same). */
    private DType[] dtypes;

    private OrtAccess(ClassLoader loader) throws ReflectiveOperationException {
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        Class<?> tensorLike = Class.forName("ai.onnxruntime.OnnxTensorLike", false, loader);
        onnxTensor = Class.forName("ai.onnxruntime.OnnxTensor", false, loader);
        Class<?> tensorInfo = Class.forName("ai.onnxruntime.TensorInfo", false, loader);
        Class<?> session = Class.forName("ai.onnxruntime.OrtSession", false, loader);
        sessionOptions = Class.forName("ai.onnxruntime.OrtSession$SessionOptions", false, loader);
        getInfo = lookup.unreflect(tensorLike.getMethod("getInfo")).asType(OBJECT_OF_OBJECT);
        getShape = shapeHandle(tensorInfo);
        resultMap =
                resultMapHandle(Class.forName("ai.onnxruntime.OrtSession$Result", false, loader));
        getType =
                lookup.unreflectGetter(tensorInfo.getField("type"))
                        .asType(MethodType.methodType(Enum.class, Object.class));
        getBuffer = bufferHandle(onnxTensor);
        ownedBuffer = ownedBufferHandle(onnxTensor);
        getMetadata = session.getMethod("getMetadata");
        getInputNames =
                lookup.unreflect(session.getMethod("getInputNames"))
                        .asType(MethodType.methodType(java.util.Set.class, Object.class));
    }

    private static MethodHandle bufferHandle(Class<?> onnxTensor)
            throws ReflectiveOperationException {
        MethodType type = MethodType.methodType(ByteBuffer.class, Object.class);
        try {
            Method view = onnxTensor.getDeclaredMethod("getBuffer");
            view.setAccessible(true);
            return MethodHandles.lookup().unreflect(view).asType(type);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return MethodHandles.publicLookup()
                    .unreflect(onnxTensor.getMethod("getByteBuffer"))
                    .asType(type);
        }
    }

    /**
     * {@code OnnxTensor}'s {@code buffer} field, where ONNX Runtime (1.16 and later) keeps the
     * direct buffer a tensor was created from: reading it allocates nothing, where {@code
     * getBuffer()} makes a new view per call. Only used when the tensor owns it ({@code
     * ownsBuffer()}: ONNX Runtime's own copy, which nobody else moves); {@code null} if this
     * version has neither.
     */
    private static MethodHandle ownedBufferHandle(Class<?> onnxTensor) {
        try {
            java.lang.reflect.Field f = onnxTensor.getDeclaredField("buffer");
            f.setAccessible(true);
            MethodHandle buffer =
                    MethodHandles.lookup()
                            .unreflectGetter(f)
                            .asType(MethodType.methodType(Buffer.class, Object.class));
            MethodHandle owns =
                    MethodHandles.publicLookup()
                            .unreflect(onnxTensor.getMethod("ownsBuffer"))
                            .asType(MethodType.methodType(boolean.class, Object.class));
            // owns(tensor) ? buffer(tensor) : null
            return MethodHandles.guardWithTest(
                    owns,
                    buffer,
                    MethodHandles.dropArguments(
                            MethodHandles.constant(Buffer.class, null), 0, Object.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /**
     * {@code TensorInfo}'s own shape array: {@code getShape()} returns a copy, one allocation per
     * tensor per call. The array is only read, never changed.
     */
    private static MethodHandle shapeHandle(Class<?> tensorInfo)
            throws ReflectiveOperationException {
        MethodType type = MethodType.methodType(long[].class, Object.class);
        try {
            java.lang.reflect.Field f = tensorInfo.getDeclaredField("shape");
            f.setAccessible(true);
            return MethodHandles.lookup().unreflectGetter(f).asType(type);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return MethodHandles.publicLookup()
                    .unreflect(tensorInfo.getMethod("getShape"))
                    .asType(type);
        }
    }

    /** {@code Result}'s name-to-value map, walked with {@code forEach} (no iterator); or null. */
    private static MethodHandle resultMapHandle(Class<?> result) {
        try {
            java.lang.reflect.Field f = result.getDeclaredField("map");
            f.setAccessible(true);
            return MethodHandles.lookup()
                    .unreflectGetter(f)
                    .asType(MethodType.methodType(java.util.Map.class, Object.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** The result's outputs by name, or {@code null} if this version keeps them otherwise. */
    java.util.Map<?, ?> outputs(Object result) throws Throwable {
        return resultMap == null ? null : (java.util.Map<?, ?>) resultMap.invokeExact(result);
    }

    static OrtAccess of(Object ortObject) {
        return BY_SESSION_CLASS.get(ortObject.getClass());
    }

    Object info(Object tensor) throws Throwable {
        return (Object) getInfo.invokeExact(tensor);
    }

    long[] shape(Object info) throws Throwable {
        return (long[]) getShape.invokeExact(info);
    }

    DType dtype(Object info) throws Throwable {
        Enum<?> t = (Enum<?>) getType.invokeExact(info);
        if (t == null) {
            return DType.UNKNOWN;
        }
        DType[] byOrdinal = dtypes;
        if (byOrdinal == null) {
            byOrdinal = dtypesOf(t);
            dtypes = byOrdinal;
        }
        int i = t.ordinal();
        return i < byOrdinal.length ? byOrdinal[i] : toDType(t.name());
    }

    /**
     * {@code OnnxJavaType}'s constants mapped once by ordinal: a call then reads an array instead
     * of switching on the constant's name for every tensor.
     */
    static DType[] dtypesOf(Enum<?> onnxJavaType) {
        Object[] constants = onnxJavaType.getDeclaringClass().getEnumConstants();
        DType[] byOrdinal = new DType[constants.length];
        for (Object c : constants) {
            Enum<?> e = (Enum<?>) c;
            byOrdinal[e.ordinal()] = toDType(e.name());
        }
        return byOrdinal;
    }

    /** The session's input names, in the model's order. */
    String[] inputNames(Object session) throws Throwable {
        return ((java.util.Set<?>) getInputNames.invokeExact(session)).toArray(new String[0]);
    }

    /** The input data ONNX Runtime copied and keeps, or {@code null}. */
    Buffer ownedBuffer(Object tensor) throws Throwable {
        return ownedBuffer == null ? null : (Buffer) ownedBuffer.invokeExact(tensor);
    }

    ByteBuffer data(Object tensor) throws Throwable {
        return (ByteBuffer) getBuffer.invokeExact(tensor);
    }

    /** ONNX Runtime's {@code OnnxJavaType} names. */
    static DType toDType(String onnxJavaType) {
        switch (onnxJavaType) {
            case "FLOAT":
                return DType.FLOAT32;
            case "DOUBLE":
                return DType.FLOAT64;
            case "INT8":
                return DType.INT8;
            case "UINT8":
                return DType.UINT8;
            case "INT16":
                return DType.INT16;
            case "INT32":
                return DType.INT32;
            case "INT64":
                return DType.INT64;
            case "BOOL":
                return DType.BOOL;
            case "STRING":
                return DType.STRING;
            case "FLOAT16":
                return DType.FLOAT16;
            case "BFLOAT16":
                return DType.BFLOAT16;
            default:
                return DType.UNKNOWN;
        }
    }
}
