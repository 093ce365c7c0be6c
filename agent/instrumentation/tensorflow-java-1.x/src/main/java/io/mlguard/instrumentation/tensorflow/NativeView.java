package io.mlguard.instrumentation.tensorflow;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;

/**
 * The bytes of a {@code RawTensor} as a {@link ByteBuffer}. Class loader: agent. Preferred: a
 * direct view of the native tensor through TensorFlow's own C API bindings ({@code TF_TensorData},
 * {@code TF_TensorByteSize}, JavaCPP's {@code Pointer.asByteBuffer}); fallback: a copy through the
 * public {@code RawTensor.data()}.
 */
final class NativeView {
    private final MethodHandle handle;
    private final MethodHandle tensorData;
    private final MethodHandle byteSize;
    private final MethodHandle capacity;
    private final MethodHandle asByteBuffer;
    private final MethodHandle data;
    private final MethodHandle dataSize;
    private final MethodHandle read;

    private NativeView(ClassLoader loader) throws ReflectiveOperationException {
        MethodHandles.Lookup pub = MethodHandles.publicLookup();
        Class<?> raw = Class.forName("org.tensorflow.RawTensor", false, loader);
        Class<?> byteData =
                Class.forName("org.tensorflow.ndarray.buffer.ByteDataBuffer", false, loader);
        Class<?> dataBuffer =
                Class.forName("org.tensorflow.ndarray.buffer.DataBuffer", false, loader);
        data =
                pub.unreflect(raw.getMethod("data"))
                        .asType(MethodType.methodType(Object.class, Object.class));
        dataSize =
                pub.unreflect(dataBuffer.getMethod("size"))
                        .asType(MethodType.methodType(long.class, Object.class));
        read =
                pub.unreflect(byteData.getMethod("read", byte[].class))
                        .asType(MethodType.methodType(Object.class, Object.class, byte[].class));
        MethodHandle h = null;
        MethodHandle td = null;
        MethodHandle bs = null;
        MethodHandle cap = null;
        MethodHandle bb = null;
        try {
            Class<?> tfTensor =
                    Class.forName("org.tensorflow.internal.c_api.TF_Tensor", false, loader);
            Class<?> api =
                    Class.forName("org.tensorflow.internal.c_api.global.tensorflow", false, loader);
            Class<?> pointer = Class.forName("org.bytedeco.javacpp.Pointer", false, loader);
            h =
                    MethodHandles.lookup()
                            .unreflect(TfAccess.declared(raw, "nativeHandle"))
                            .asType(MethodType.methodType(Object.class, Object.class));
            td =
                    pub.unreflect(api.getMethod("TF_TensorData", tfTensor))
                            .asType(MethodType.methodType(Object.class, Object.class));
            bs =
                    pub.unreflect(api.getMethod("TF_TensorByteSize", tfTensor))
                            .asType(MethodType.methodType(long.class, Object.class));
            cap =
                    pub.unreflect(pointer.getMethod("capacity", long.class))
                            .asType(MethodType.methodType(Object.class, Object.class, long.class));
            bb =
                    pub.unreflect(pointer.getMethod("asByteBuffer"))
                            .asType(MethodType.methodType(ByteBuffer.class, Object.class));
        } catch (ReflectiveOperationException | RuntimeException notReachable) {
            h = null;
        }
        handle = h;
        tensorData = td;
        byteSize = bs;
        capacity = cap;
        asByteBuffer = bb;
    }

    static NativeView of(ClassLoader loader) throws ReflectiveOperationException {
        return new NativeView(loader);
    }

    ByteBuffer bytes(Object rawTensor) throws Throwable {
        if (handle != null) {
            Object tf = (Object) handle.invokeExact(rawTensor);
            long size = (long) byteSize.invokeExact(tf);
            Object p = (Object) tensorData.invokeExact(tf);
            if (p == null || size == 0) {
                return ByteBuffer.allocate(0);
            }
            Object sized = (Object) capacity.invokeExact(p, size);
            return (ByteBuffer) asByteBuffer.invokeExact(sized);
        }
        Object buffer = (Object) data.invokeExact(rawTensor);
        byte[] copy = new byte[(int) (long) dataSize.invokeExact(buffer)];
        Object ignored = (Object) read.invokeExact(buffer, copy);
        return ByteBuffer.wrap(copy);
    }
}
