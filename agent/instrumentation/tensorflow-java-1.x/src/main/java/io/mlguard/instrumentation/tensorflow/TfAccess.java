package io.mlguard.instrumentation.tensorflow;

import io.mlguard.protocol.DType;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Method handles into one copy of TensorFlow-Java, resolved once per class loader that holds it
 * (found through the class of the runner or function the agent was handed). Class loader: agent,
 * which cannot see the application's TensorFlow classes by name.
 *
 * <p>Tensor data is read as a direct view of the native tensor ({@code TF_TensorData} over the raw
 * tensor's package-private handle), so nothing is copied. If that handle cannot be reached (a named
 * module that does not open it), the public {@code RawTensor.data()} is copied instead.
 */
final class TfAccess {
    private static final MethodType OBJECT_OF_OBJECT =
            MethodType.methodType(Object.class, Object.class);

    private static final ClassValue<TfAccess> BY_CLASS =
            new ClassValue<>() {
                @Override
                protected TfAccess computeValue(Class<?> tfClass) {
                    try {
                        return new TfAccess(tfClass.getClassLoader());
                    } catch (ReflectiveOperationException e) {
                        throw new IllegalStateException(
                                "unsupported TensorFlow-Java version: " + e, e);
                    }
                }
            };

    final Class<?> tensor;
    private final MethodHandle dataType;
    private final MethodHandle shape;
    private final MethodHandle shapeDims;
    private final MethodHandle asRawTensor;
    private final MethodHandle runnerFeeds;
    private final MethodHandle runnerFeedOutputs;
    private final MethodHandle outputName;
    private final NativeView view;

    private TfAccess(ClassLoader loader) throws ReflectiveOperationException {
        MethodHandles.Lookup pub = MethodHandles.publicLookup();
        tensor = Class.forName("org.tensorflow.Tensor", false, loader);
        Class<?> shapeClass = Class.forName("org.tensorflow.ndarray.Shape", false, loader);
        Class<?> runner = Class.forName("org.tensorflow.Session$Runner", false, loader);
        Class<?> output = Class.forName("org.tensorflow.Output", false, loader);
        dataType =
                pub.unreflect(tensor.getMethod("dataType"))
                        .asType(MethodType.methodType(Enum.class, Object.class));
        shape = pub.unreflect(tensor.getMethod("shape")).asType(OBJECT_OF_OBJECT);
        shapeDims =
                pub.unreflect(shapeClass.getMethod("asArray"))
                        .asType(MethodType.methodType(long[].class, Object.class));
        asRawTensor = pub.unreflect(tensor.getMethod("asRawTensor")).asType(OBJECT_OF_OBJECT);
        runnerFeeds = privateGetter(runner, "inputTensors");
        runnerFeedOutputs = privateGetter(runner, "inputs");
        outputName =
                pub.unreflect(output.getMethod("name"))
                        .asType(MethodType.methodType(String.class, Object.class));
        view = NativeView.of(loader);
    }

    private static MethodHandle privateGetter(Class<?> owner, String name)
            throws ReflectiveOperationException {
        Field f = owner.getDeclaredField(name);
        f.setAccessible(true);
        return MethodHandles.lookup()
                .unreflectGetter(f)
                .asType(MethodType.methodType(List.class, Object.class));
    }

    static TfAccess of(Object tfObject) {
        return BY_CLASS.get(tfObject.getClass());
    }

    /** The tensors a runner feeds, in feed order. */
    List<?> feeds(Object runner) throws Throwable {
        return (List<?>) runnerFeeds.invokeExact(runner);
    }

    /** The graph outputs those tensors are fed to, in the same order. */
    List<?> feedOutputs(Object runner) throws Throwable {
        return (List<?>) runnerFeedOutputs.invokeExact(runner);
    }

    String outputName(Object output) throws Throwable {
        return (String) outputName.invokeExact(output);
    }

    DType dtype(Object t) throws Throwable {
        Enum<?> e = (Enum<?>) dataType.invokeExact(t);
        return e == null ? DType.UNKNOWN : toDType(e.name());
    }

    long[] shape(Object t) throws Throwable {
        Object s = (Object) shape.invokeExact(t);
        return (long[]) shapeDims.invokeExact(s);
    }

    ByteBuffer data(Object t) throws Throwable {
        Object raw = (Object) asRawTensor.invokeExact(t);
        return view.bytes(raw);
    }

    /** TensorFlow's {@code DataType} proto names. */
    static DType toDType(String tfType) {
        switch (tfType) {
            case "DT_FLOAT":
                return DType.FLOAT32;
            case "DT_DOUBLE":
                return DType.FLOAT64;
            case "DT_HALF":
                return DType.FLOAT16;
            case "DT_BFLOAT16":
                return DType.BFLOAT16;
            case "DT_INT8":
                return DType.INT8;
            case "DT_UINT8":
                return DType.UINT8;
            case "DT_INT16":
                return DType.INT16;
            case "DT_INT32":
                return DType.INT32;
            case "DT_INT64":
                return DType.INT64;
            case "DT_BOOL":
                return DType.BOOL;
            case "DT_STRING":
                return DType.STRING;
            default:
                return DType.UNKNOWN;
        }
    }

    static Method declared(Class<?> c, String name, Class<?>... params)
            throws NoSuchMethodException {
        Method m = c.getDeclaredMethod(name, params);
        m.setAccessible(true);
        return m;
    }
}
