package io.mlguard.instrumentation.djl;

import io.mlguard.protocol.DType;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;

/**
 * Method handles into one copy of DJL's {@code NDArray} and {@code Shape}, resolved once per class
 * loader that holds DJL (found through the class of the {@code NDList} the agent was handed). Class
 * loader: agent, which cannot see the application's DJL classes by name.
 *
 * <p>Data is read with {@code toByteBuffer(true)} ("try direct"): engines that can hand out a view
 * of their native memory do so, the others copy; both are read the same way.
 */
final class DjlAccess {
    private static final ClassValue<DjlAccess> BY_LIST_CLASS =
            new ClassValue<>() {
                @Override
                protected DjlAccess computeValue(Class<?> listClass) {
                    try {
                        return new DjlAccess(listClass.getClassLoader());
                    } catch (ReflectiveOperationException e) {
                        throw new IllegalStateException("unsupported DJL version: " + e, e);
                    }
                }
            };

    final Class<?> ndArray;
    private final MethodHandle getName;
    private final MethodHandle getDataType;
    private final MethodHandle getShape;
    private final MethodHandle shapeDims;
    private final MethodHandle toByteBuffer;

    private DjlAccess(ClassLoader loader) throws ReflectiveOperationException {
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        ndArray = Class.forName("ai.djl.ndarray.NDArray", false, loader);
        Class<?> shape = Class.forName("ai.djl.ndarray.types.Shape", false, loader);
        getName =
                lookup.unreflect(ndArray.getMethod("getName"))
                        .asType(MethodType.methodType(String.class, Object.class));
        getDataType =
                lookup.unreflect(ndArray.getMethod("getDataType"))
                        .asType(MethodType.methodType(Enum.class, Object.class));
        getShape =
                lookup.unreflect(ndArray.getMethod("getShape"))
                        .asType(MethodType.methodType(Object.class, Object.class));
        shapeDims =
                lookup.unreflect(shape.getMethod("getShape"))
                        .asType(MethodType.methodType(long[].class, Object.class));
        MethodHandle direct;
        try {
            direct =
                    MethodHandles.insertArguments(
                            lookup.unreflect(ndArray.getMethod("toByteBuffer", boolean.class)),
                            1,
                            true);
        } catch (NoSuchMethodException olderDjl) {
            direct = lookup.unreflect(ndArray.getMethod("toByteBuffer"));
        }
        toByteBuffer = direct.asType(MethodType.methodType(ByteBuffer.class, Object.class));
    }

    static DjlAccess of(Object ndList) {
        return BY_LIST_CLASS.get(ndList.getClass());
    }

    String name(Object array) throws Throwable {
        return (String) getName.invokeExact(array);
    }

    DType dtype(Object array) throws Throwable {
        Enum<?> t = (Enum<?>) getDataType.invokeExact(array);
        return t == null ? DType.UNKNOWN : toDType(t.name());
    }

    long[] shape(Object array) throws Throwable {
        Object shape = (Object) getShape.invokeExact(array);
        return (long[]) shapeDims.invokeExact(shape);
    }

    ByteBuffer data(Object array) throws Throwable {
        return (ByteBuffer) toByteBuffer.invokeExact(array);
    }

    /** DJL's {@code DataType} names; types the record format has no code for are unknown. */
    static DType toDType(String djlType) {
        switch (djlType) {
            case "FLOAT32":
                return DType.FLOAT32;
            case "FLOAT64":
                return DType.FLOAT64;
            case "FLOAT16":
                return DType.FLOAT16;
            case "BFLOAT16":
                return DType.BFLOAT16;
            case "UINT8":
                return DType.UINT8;
            case "INT8":
                return DType.INT8;
            case "INT16":
                return DType.INT16;
            case "INT32":
                return DType.INT32;
            case "INT64":
                return DType.INT64;
            case "BOOLEAN":
                return DType.BOOL;
            case "STRING":
                return DType.STRING;
            default:
                return DType.UNKNOWN;
        }
    }
}
