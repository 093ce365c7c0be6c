package io.mlguard.instrumentation.onnxruntime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxSequence;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.mlguard.core.summary.Elements;
import io.mlguard.core.summary.Summaries;
import io.mlguard.core.summary.TensorSummarizer;
import io.mlguard.protocol.DType;
import io.mlguard.protocol.InferenceRecord;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JNI shim built into this module, against the real ONNX Runtime: what it reads is what ONNX
 * Runtime's own copy of the tensor holds, byte for byte, and a shim that disagrees with ONNX
 * Runtime's own view is not used.
 */
class OrtNativeTest {
    @TempDir static Path dir;
    static OrtEnvironment env;

    @BeforeAll
    static void load() {
        // this build machine is Linux x86-64 with gcc (the module's profile builds the library)
        // and runs the tests on JDK 17: the shim must load, not fall back quietly
        assertThat(OrtNative.available()).as("%s", OrtNative.unavailableReason()).isTrue();
        env = OrtEnvironment.getEnvironment();
    }

    @Test
    void outputsReadAsOnnxRuntimesOwnCopyPastTheCheckedReadsAndNothingBeyondThem()
            throws Throwable {
        // byte for byte what ONNX Runtime's own copy holds, for a batch of 1, 3, 1000 and then
        // random ones. The first NATIVE_CHECKS reads of a runtime are compared with getBuffer();
        // the ones after are trusted: they must be the tensor's bytes, and the summaries may count
        // no more elements than it holds (the view's capacity is Integer.MAX_VALUE, its limit the
        // tensor)
        Path model = TinyOnnxModel.write(dir.resolve("unchecked.onnx"), 1f);
        Random random = new Random(13);
        ByteBuffer view = OrtNative.newView();
        try (OrtSession session = env.createSession(model.toString())) {
            OrtAccess ort = new OrtAccess(session.getClass().getClassLoader());
            int[] firstBatches = {1, 3, 1000};
            for (int read = 0; read < 3 * OrtAccess.NATIVE_CHECKS; read++) {
                int batch =
                        read < firstBatches.length ? firstBatches[read] : 1 + random.nextInt(50);
                float[][] x = new float[batch][4];
                for (float[] row : x) {
                    for (int i = 0; i < 4; i++) {
                        row[i] = (float) random.nextGaussian();
                    }
                }
                try (OnnxTensor in = OnnxTensor.createTensor(env, x);
                        OrtSession.Result out = session.run(Map.of("input", in))) {
                    OnnxTensor probs = (OnnxTensor) out.get(0);
                    long bytes = 4L * 3 * batch;
                    ByteBuffer b = ort.nativeData(view, probs, bytes);
                    assertThat(b).as("read %d", read).isSameAs(view);
                    assertSameBytes(b, probs.getByteBuffer(), bytes);
                    assertThat(Elements.count(b, DType.FLOAT32))
                            .as("read %d", read)
                            .isEqualTo(3L * batch);
                    view.limit(0);
                }
            }
            assertThat(ort.nativeReadable()).isTrue();
        }
    }

    @Test
    void theViewHoldsNoTensorOnceAnInferenceIsSummarisedEvenWhenASummaryFails() throws Throwable {
        Path model = TinyOnnxModel.write(dir.resolve("adapter.onnx"), 1f);
        OrtAdapter adapter = new OrtAdapter();
        InferenceRecord r = new InferenceRecord();
        try (OrtSession session = env.createSession(model.toString());
                OnnxTensor in = OnnxTensor.createTensor(env, new float[][] {{1, 2, 3, 4}});
                OrtSession.Result out = session.run(Map.of("input", in))) {
            Summaries summaries = new Summaries(new TensorSummarizer(4096, 5), false, 0);
            adapter.summarizeInference(session, Map.of("input", in), out, r, summaries);
            assertThat(r.outputCount).isPositive();
            float[] expected = ((float[][]) out.get(0).getValue())[0];
            assertThat(r.outputs[0].count).isEqualTo(3);
            assertThat(r.outputs[0].name).isEqualTo("probabilities");
            assertThat(r.outputs[0].max)
                    .isEqualTo((double) Math.max(expected[0], Math.max(expected[1], expected[2])));
            ByteBuffer view = threadsView(adapter);
            assertThat(view).as("the output was read through the shim").isNotNull();
            assertThat(view.isDirect()).isTrue();
            assertThat(view.limit()).as("after a summary").isZero();

            // no Summaries: the first output's summary throws, with the view pointed at it
            assertThatThrownBy(() -> adapter.summarizeInference(session, null, out, r, null))
                    .isInstanceOf(NullPointerException.class);
            assertThat(threadsView(adapter)).isSameAs(view);
            assertThat(view.limit()).as("after a summary that threw").isZero();
        }
    }

    /** The view of this thread's visitor in {@code adapter}. */
    private static ByteBuffer threadsView(OrtAdapter adapter) throws Exception {
        java.lang.reflect.Field visitors = OrtAdapter.class.getDeclaredField("visitors");
        visitors.setAccessible(true);
        Object visitor = ((ThreadLocal<?>) visitors.get(adapter)).get();
        java.lang.reflect.Field view = visitor.getClass().getDeclaredField("view");
        view.setAccessible(true);
        return (ByteBuffer) view.get(visitor);
    }

    @Test
    void everyNumericTypeReadsAsOnnxRuntimesOwnCopy() throws Throwable {
        ByteBuffer view = OrtNative.newView();
        Random random = new Random(11);
        int n = 257;
        byte[] raw = new byte[8 * n];
        random.nextBytes(raw);
        OnnxJavaType[] types = {
            OnnxJavaType.FLOAT, OnnxJavaType.DOUBLE, OnnxJavaType.INT8, OnnxJavaType.UINT8,
            OnnxJavaType.INT16, OnnxJavaType.INT32, OnnxJavaType.INT64, OnnxJavaType.BOOL,
            OnnxJavaType.FLOAT16, OnnxJavaType.BFLOAT16
        };
        for (OnnxJavaType type : types) {
            DType t = OrtAccess.toDType(type.name());
            long bytes = (long) n * io.mlguard.core.summary.Elements.width(t);
            ByteBuffer data = ByteBuffer.allocateDirect((int) bytes).order(ByteOrder.nativeOrder());
            for (int i = 0; i < bytes; i++) {
                // a BOOL tensor holds 0 or 1
                data.put(i, type == OnnxJavaType.BOOL ? (byte) (raw[i] & 1) : raw[i]);
            }
            try (OnnxTensor tensor = OnnxTensor.createTensor(env, data, new long[] {n}, type)) {
                OrtAccess ort = new OrtAccess(tensor.getClass().getClassLoader());
                assertThat(OrtAdapter.bytes(tensor.getInfo().getShape(), t)).isEqualTo(bytes);
                ByteBuffer b = ort.nativeData(view, tensor, bytes);
                assertThat(b).as("%s", type).isSameAs(view);
                assertSameBytes(b, tensor.getByteBuffer(), bytes);
            }
        }
    }

    @Test
    void aScalarReadsAsItsOneElement() throws Throwable {
        ByteBuffer view = OrtNative.newView();
        try (OnnxTensor scalar = OnnxTensor.createTensor(env, 3.5f)) {
            OrtAccess ort = new OrtAccess(scalar.getClass().getClassLoader());
            assertThat(scalar.getInfo().getShape()).isEmpty();
            long bytes = OrtAdapter.bytes(scalar.getInfo().getShape(), DType.FLOAT32);
            assertThat(bytes).isEqualTo(4);
            ByteBuffer b = ort.nativeData(view, scalar, bytes);
            assertThat(b).isSameAs(view);
            assertSameBytes(b, scalar.getByteBuffer(), bytes);
            assertThat(b.order(ByteOrder.nativeOrder()).getFloat(0)).isEqualTo(3.5f);
        }
    }

    @Test
    void theViewIsPointedFromJavaWhereTheAgentIsGrantedJavaNioAndBothWaysFindOneAddress()
            throws Throwable {
        // the agent grants its module java.nio (ModuleOpener), as these tests' flags do: the view
        // is then pointed from Java after one native call that touches nothing of the JVM's
        assertThat(OrtNative.View.ADDRESS).isNotNull();
        java.lang.reflect.Field api =
                Class.forName("ai.onnxruntime.OnnxRuntime").getDeclaredField("ortApiHandle");
        api.setAccessible(true);
        java.lang.reflect.Field handle =
                Class.forName("ai.onnxruntime.OnnxTensorLike").getDeclaredField("nativeHandle");
        handle.setAccessible(true);
        ByteBuffer view = OrtNative.newView();
        try (OnnxTensor tensor = OnnxTensor.createTensor(env, new float[] {1, 2, 3, 4})) {
            long value = handle.getLong(tensor);
            long own = OrtNative.address(ownView(tensor));
            long data = OrtNative.data(api.getLong(null), value);
            assertThat(data).isNotZero().isEqualTo(own);
            assertThat(OrtNative.point(view, api.getLong(null), value)).isEqualTo(data);
            assertThat(OrtNative.address(view)).isEqualTo(data);
            OrtAccess ort = new OrtAccess(tensor.getClass().getClassLoader());
            OrtNative.View.ADDRESS.set((java.nio.Buffer) view, 0L);
            ByteBuffer b = ort.nativeData(view, tensor, 16);
            assertThat(b).isSameAs(view);
            assertThat(OrtNative.address(b)).as("pointed again, from Java").isEqualTo(data);
            assertThat(b.order(ByteOrder.nativeOrder()).getFloat(12)).isEqualTo(4f);
        }
    }

    /** ONNX Runtime's own direct view of {@code tensor}'s memory (its private getBuffer()). */
    private static ByteBuffer ownView(OnnxTensor tensor) throws Exception {
        java.lang.reflect.Method m = OnnxTensor.class.getDeclaredMethod("getBuffer");
        m.setAccessible(true);
        return (ByteBuffer) m.invoke(tensor);
    }

    @Test
    void aValueThatIsNoTensorLeavesTheViewAsItWas() throws Throwable {
        // ONNX Runtime answers GetTensorMutableData on a sequence with an error status, which the
        // shim must release (OrtApi entry 93) and report as 0, the view untouched: the one branch
        // of mlguard_ort.c that tensors never take
        Path model = dir.resolve("sequence.onnx");
        java.nio.file.Files.write(model, sequenceModel().toByteArray());
        ByteBuffer view = OrtNative.newView();
        view.limit(0);
        long parked = OrtNative.address(view);
        java.lang.reflect.Field api =
                Class.forName("ai.onnxruntime.OnnxRuntime").getDeclaredField("ortApiHandle");
        api.setAccessible(true);
        java.lang.reflect.Field handle = OnnxSequence.class.getDeclaredField("nativeHandle");
        handle.setAccessible(true);
        try (OrtSession session = env.createSession(model.toString());
                OnnxTensor in = OnnxTensor.createTensor(env, new float[][] {{1, 2, 3, 4}});
                OrtSession.Result out = session.run(Map.of("input", in))) {
            OnnxSequence seq = (OnnxSequence) out.get(0);
            long value = handle.getLong(seq);
            assertThat(value).isNotZero();
            for (int i = 0; i < 1000; i++) { // a status released wrongly would show by now
                assertThat(OrtNative.point(view, api.getLong(null), value)).isZero();
                assertThat(OrtNative.data(api.getLong(null), value)).isZero();
            }
            assertThat(OrtNative.address(view)).isEqualTo(parked);
            assertThat(view.limit()).isZero();
            assertThat(((java.util.List<?>) seq.getValue())).hasSize(1);
        }
    }

    /** input float[batch, 4] to SequenceConstruct(input): one output that is not a tensor. */
    private static OnnxMl.ModelProto sequenceModel() {
        OnnxMl.TypeProto.Tensor floats =
                OnnxMl.TypeProto.Tensor.newBuilder()
                        .setElemType(OnnxMl.TensorProto.DataType.FLOAT.getNumber())
                        .build();
        OnnxMl.GraphProto graph =
                OnnxMl.GraphProto.newBuilder()
                        .setName("sequence")
                        .addInput(
                                OnnxMl.ValueInfoProto.newBuilder()
                                        .setName("input")
                                        .setType(
                                                OnnxMl.TypeProto.newBuilder()
                                                        .setTensorType(floats)))
                        .addOutput(
                                OnnxMl.ValueInfoProto.newBuilder()
                                        .setName("seq")
                                        .setType(
                                                OnnxMl.TypeProto.newBuilder()
                                                        .setSequenceType(
                                                                OnnxMl.TypeProto.Sequence
                                                                        .newBuilder()
                                                                        .setElemType(
                                                                                OnnxMl.TypeProto
                                                                                        .newBuilder()
                                                                                        .setTensorType(
                                                                                                floats)))))
                        .addNode(
                                OnnxMl.NodeProto.newBuilder()
                                        .setOpType("SequenceConstruct")
                                        .addInput("input")
                                        .addOutput("seq"))
                        .build();
        return OnnxMl.ModelProto.newBuilder()
                .setIrVersion(8)
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(17))
                .setGraph(graph)
                .build();
    }

    @Test
    void aSizeThatDisagreesWithOnnxRuntimesOwnViewStopsTheShimForThatRuntime() throws Throwable {
        ByteBuffer view = OrtNative.newView();
        try (OnnxTensor tensor = OnnxTensor.createTensor(env, new float[] {1, 2, 3, 4})) {
            OrtAccess ort = new OrtAccess(tensor.getClass().getClassLoader());
            assertThat(ort.nativeReadable()).isTrue();
            // as a layout this agent does not know would look: not the memory ONNX Runtime shows
            assertThat(ort.nativeData(view, tensor, 20)).isNull();
            assertThat(view.limit()).isZero();
            assertThat(ort.nativeReadable()).isFalse();
            // and from then on, not even the right size is read through the shim
            assertThat(ort.nativeData(view, tensor, 16)).isNull();
        }
    }

    @Test
    void emptyAndTooLargeTensorsAreLeftToOnnxRuntimesOwnViews() throws Throwable {
        ByteBuffer view = OrtNative.newView();
        try (OnnxTensor tensor =
                OnnxTensor.createTensor(env, java.nio.FloatBuffer.allocate(0), new long[] {0, 4})) {
            OrtAccess ort = new OrtAccess(tensor.getClass().getClassLoader());
            assertThat(ort.nativeData(view, tensor, 0)).isNull();
            assertThat(ort.nativeData(view, tensor, 1L << 31)).isNull();
            assertThat(ort.nativeReadable()).as("no disagreement was seen").isTrue();
        }
        assertThat(OrtAdapter.bytes(new long[] {1L << 40, 1L << 40}, DType.FLOAT32)).isEqualTo(-1);
        assertThat(OrtAdapter.bytes(new long[] {-1, 4}, DType.FLOAT32)).isEqualTo(-1);
    }

    @Test
    void theShimIsLoadedOnlyWhereItIsBuiltAndQuiet() {
        assertThat(OrtNative.refusal("auto", "Linux", "amd64", 17, true)).isNull();
        assertThat(OrtNative.refusal("true", "Linux", "amd64", 25, false)).isNull();
        assertThat(OrtNative.refusal("auto", "Linux", "amd64", 25, true)).isNull();
        assertThat(OrtNative.refusal("auto", "Linux", "amd64", 25, false))
                .contains("--enable-native-access=ALL-UNNAMED");
        assertThat(OrtNative.refusal("auto", "Linux", "aarch64", 17, true))
                .isEqualTo("no library for Linux aarch64");
        assertThat(OrtNative.refusal("true", "Mac OS X", "x86_64", 17, true))
                .startsWith("no library");
        assertThat(OrtNative.refusal("false", "Linux", "amd64", 17, true))
                .isEqualTo("nativeTensorAccess=false");
    }

    private static void assertSameBytes(ByteBuffer actual, ByteBuffer expected, long bytes) {
        assertThat(actual.position()).isZero();
        assertThat(actual.limit()).isEqualTo(bytes);
        assertThat(expected.remaining()).isEqualTo(bytes);
        byte[] a = new byte[(int) bytes];
        byte[] e = new byte[(int) bytes];
        actual.duplicate().get(a);
        expected.duplicate().get(e);
        assertThat(a).isEqualTo(e);
    }
}
