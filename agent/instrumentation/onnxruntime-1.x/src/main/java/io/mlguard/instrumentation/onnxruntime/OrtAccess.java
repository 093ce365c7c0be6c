package io.mlguard.instrumentation.onnxruntime;

import io.mlguard.core.AgentLog;
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
 * {@code getByteBuffer()} copy is used. Where the agent's JNI shim is loaded ({@link OrtNative}), a
 * tensor is read through a buffer the caller keeps instead ({@link #nativeData}), after its first
 * addresses were checked against {@code getBuffer()}'s.
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

    /** {@code OnnxTensorLike.nativeHandle}, the tensor's {@code OrtValue}; or null. */
    private final MethodHandle valueHandle;

    /** {@code OnnxRuntime.ortApiHandle}: reads ONNX Runtime's C API table; or null. */
    private final MethodHandle apiHandle;

    /** Native reads checked against {@code getBuffer()} so far (racy: a few more do no harm). */
    private int nativeChecks;

    /** Set when a native read disagreed with {@code getBuffer()}: never used again here. */
    private volatile boolean nativeRefused;

    final Method getMetadata;
    private final MethodHandle getInputNames;
    final Class<?> sessionOptions;

    /**
     * Whether this is the first class loader's copy of ONNX Runtime, whose handles {@link Primary}
     * holds as constants.
     */
    private final boolean primary;

    /** The class loader of the first copy of ONNX Runtime seen, once {@link #claimed}. */
    private static ClassLoader firstLoader;

    private static boolean claimed;

    /** The first instance made; {@link Primary} takes its handles. */
    private static OrtAccess first;

    /** By {@code OnnxJavaType} ordinal; made on first use (racy, but any copy is the same). */
    private DType[] dtypes;

    OrtAccess(ClassLoader loader) throws ReflectiveOperationException {
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
        valueHandle = longGetter(tensorLike, "nativeHandle", false);
        apiHandle =
                longGetter(
                        Class.forName("ai.onnxruntime.OnnxRuntime", false, loader),
                        "ortApiHandle",
                        true);
        getMetadata = session.getMethod("getMetadata");
        getInputNames =
                lookup.unreflect(session.getMethod("getInputNames"))
                        .asType(MethodType.methodType(java.util.Set.class, Object.class));
        primary = claimFirst(loader, this) && !Boolean.getBoolean(INSTANCE_HANDLES);
    }

    /**
     * A system property for tests: set, instances made from then on read through their own handles,
     * as a second copy of ONNX Runtime does (a copy in a second class loader cannot be made in one
     * process: its native library is loaded by the first).
     */
    static final String INSTANCE_HANDLES = "mlguard.test.ortInstanceHandles";

    /**
     * Whether {@code loader} is the first class loader of ONNX Runtime seen (it is, if none was).
     */
    private static synchronized boolean claimFirst(ClassLoader loader, OrtAccess access) {
        if (!claimed) {
            claimed = true;
            firstLoader = loader;
            first = access;
        }
        return firstLoader == loader;
    }

    /**
     * The first copy of ONNX Runtime's handles, in static finals: the JIT compiler inlines a
     * constant method handle and what it calls (here field reads and one-line getters), where it
     * calls an instance field's handle indirectly each time, some 5 ns for each of the dozen and
     * more reads an inference makes. A server has one copy of ONNX Runtime; a second (in another
     * class loader) uses its instance's handles. Initialised at the first inference's read, after
     * the first instance is made (two instances of one class loader hold the same handles).
     */
    private static final class Primary {
        static final MethodHandle GET_INFO;
        static final MethodHandle GET_SHAPE;
        static final MethodHandle GET_TYPE;
        static final MethodHandle OWNED_BUFFER;
        static final MethodHandle RESULT_MAP;
        static final MethodHandle VALUE_HANDLE;
        static final MethodHandle API_HANDLE;

        static {
            OrtAccess a;
            synchronized (OrtAccess.class) {
                a = first;
            }
            GET_INFO = a.getInfo;
            GET_SHAPE = a.getShape;
            GET_TYPE = a.getType;
            OWNED_BUFFER = a.ownedBuffer;
            RESULT_MAP = a.resultMap;
            VALUE_HANDLE = a.valueHandle;
            API_HANDLE = a.apiHandle;
        }
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

    /** A getter of a {@code long} field, as {@code (Object)long} or {@code ()long}; or null. */
    private static MethodHandle longGetter(Class<?> c, String name, boolean isStatic) {
        try {
            java.lang.reflect.Field f = c.getDeclaredField(name);
            if (f.getType() != long.class
                    || java.lang.reflect.Modifier.isStatic(f.getModifiers()) != isStatic) {
                return null;
            }
            f.setAccessible(true);
            MethodHandle h = MethodHandles.lookup().unreflectGetter(f);
            return isStatic ? h : h.asType(MethodType.methodType(long.class, Object.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** Whether this copy's handles are {@link Primary}'s constants. */
    boolean isPrimary() {
        return primary;
    }

    /** Whether {@link #nativeData} can be tried for this copy of ONNX Runtime. */
    boolean nativeReadable() {
        return valueHandle != null && apiHandle != null && !nativeRefused;
    }

    /**
     * The tensor's {@code bytes} of data through {@code view} (from {@link OrtNative#newView}),
     * pointed at the tensor's memory, position 0 and limit {@code bytes}; or {@code null} if the
     * shim cannot read this tensor (the caller then reads {@link #data}). The view is valid until
     * the tensor is closed: the caller sets its limit back to 0 once read.
     */
    ByteBuffer nativeData(ByteBuffer view, Object tensor, long bytes) throws Throwable {
        if (nativeRefused || bytes <= 0 || bytes > Integer.MAX_VALUE) {
            return null;
        }
        long value;
        long api;
        if (primary) {
            value = (long) Primary.VALUE_HANDLE.invokeExact(tensor);
            api = (long) Primary.API_HANDLE.invokeExact();
        } else {
            value = (long) valueHandle.invokeExact(tensor);
            api = (long) apiHandle.invokeExact();
        }
        long address;
        if (OrtNative.View.ADDRESS != null) {
            address = OrtNative.data(api, value);
            if (address == 0) {
                return null;
            }
            OrtNative.View.ADDRESS.set((Buffer) view, address);
        } else {
            address = OrtNative.point(view, api, value);
        }
        if (address == 0) {
            return null;
        }
        view.clear();
        view.limit((int) bytes);
        if (nativeChecks < NATIVE_CHECKS && !agreesWithOwnView(tensor, address, bytes)) {
            view.limit(0);
            return null;
        }
        return view;
    }

    /** Native reads checked against ONNX Runtime's own view per copy of ONNX Runtime. */
    static final int NATIVE_CHECKS = 16;

    /**
     * Whether ONNX Runtime's own view of the tensor has the address and size the shim found. If not
     * (a layout this agent does not know), the shim is never used again for this copy of ONNX
     * Runtime, which is said once.
     */
    private boolean agreesWithOwnView(Object tensor, long address, long bytes) throws Throwable {
        ByteBuffer own = data(tensor);
        long ownAddress = own == null ? 0 : OrtNative.address(own);
        if (ownAddress == address && own.capacity() == bytes) {
            nativeChecks++;
            return true;
        }
        nativeRefused = true;
        AgentLog.once(
                "ort-native-mismatch",
                "ONNX Runtime's tensor memory is not where the JNI shim found it (address "
                        + Long.toHexString(address)
                        + ", "
                        + bytes
                        + " bytes; its own view: "
                        + Long.toHexString(ownAddress)
                        + ", "
                        + (own == null ? 0 : own.capacity())
                        + " bytes): reading its own views instead");
        return false;
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
        if (resultMap == null) {
            return null;
        }
        return primary
                ? (java.util.Map<?, ?>) Primary.RESULT_MAP.invokeExact(result)
                : (java.util.Map<?, ?>) resultMap.invokeExact(result);
    }

    static OrtAccess of(Object ortObject) {
        return BY_SESSION_CLASS.get(ortObject.getClass());
    }

    Object info(Object tensor) throws Throwable {
        return primary
                ? (Object) Primary.GET_INFO.invokeExact(tensor)
                : (Object) getInfo.invokeExact(tensor);
    }

    long[] shape(Object info) throws Throwable {
        return primary
                ? (long[]) Primary.GET_SHAPE.invokeExact(info)
                : (long[]) getShape.invokeExact(info);
    }

    DType dtype(Object info) throws Throwable {
        Enum<?> t =
                primary
                        ? (Enum<?>) Primary.GET_TYPE.invokeExact(info)
                        : (Enum<?>) getType.invokeExact(info);
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
        if (ownedBuffer == null) {
            return null;
        }
        return primary
                ? (Buffer) Primary.OWNED_BUFFER.invokeExact(tensor)
                : (Buffer) ownedBuffer.invokeExact(tensor);
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
