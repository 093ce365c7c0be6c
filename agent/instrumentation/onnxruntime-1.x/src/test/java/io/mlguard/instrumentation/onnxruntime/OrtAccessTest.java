package io.mlguard.instrumentation.onnxruntime;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import io.mlguard.protocol.DType;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import org.junit.jupiter.api.Test;

/** How the agent reads ONNX Runtime's tensor metadata, against the real runtime. */
class OrtAccessTest {
    @Test
    void everyOnnxJavaTypeMapsAsItsNameSays() {
        OnnxJavaType[] all = OnnxJavaType.values();
        assertThat(all).isNotEmpty();
        for (OnnxJavaType t : all) {
            assertThat(OrtAccess.dtypesOf(t)[t.ordinal()])
                    .as("%s", t)
                    .isEqualTo(OrtAccess.toDType(t.name()));
        }
        assertThat(OrtAccess.dtypesOf(OnnxJavaType.FLOAT)[OnnxJavaType.FLOAT.ordinal()])
                .isEqualTo(DType.FLOAT32);
    }

    @Test
    void tensorTypesReadTheSameOnFirstAndLaterCalls() throws Throwable {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OnnxTensor f =
                        OnnxTensor.createTensor(
                                env, FloatBuffer.wrap(new float[] {1}), new long[] {1});
                OnnxTensor l =
                        OnnxTensor.createTensor(
                                env, LongBuffer.wrap(new long[] {1}), new long[] {1});
                OnnxTensor u8 =
                        OnnxTensor.createTensor(
                                env,
                                ByteBuffer.wrap(new byte[] {1}),
                                new long[] {1},
                                OnnxJavaType.UINT8)) {
            OrtAccess ort = OrtAccess.of(f);
            for (int round = 0; round < 2; round++) {
                assertThat(ort.dtype(ort.info(f))).isEqualTo(DType.FLOAT32);
                assertThat(ort.dtype(ort.info(l))).isEqualTo(DType.INT64);
                assertThat(ort.dtype(ort.info(u8))).isEqualTo(DType.UINT8);
            }
        }
    }

    @Test
    void aSecondCopyOfOnnxRuntimeReadsTheSameThroughItsOwnHandles() throws Throwable {
        // the first copy's handles are constants (OrtAccess.Primary); another class loader's are
        // its instance's: both ways must read the same
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtAccess primary = new OrtAccess(OnnxTensor.class.getClassLoader());
        OrtAccess second;
        System.setProperty(OrtAccess.INSTANCE_HANDLES, "true");
        try {
            second = new OrtAccess(OnnxTensor.class.getClassLoader());
        } finally {
            System.clearProperty(OrtAccess.INSTANCE_HANDLES);
        }
        assertThat(primary.isPrimary()).isTrue();
        assertThat(second.isPrimary()).isFalse();
        try (OnnxTensor t =
                OnnxTensor.createTensor(
                        env, FloatBuffer.wrap(new float[] {1, 2, 3, 4, 5, 6}), new long[] {2, 3})) {
            for (OrtAccess ort : new OrtAccess[] {primary, second}) {
                Object info = ort.info(t);
                assertThat(ort.dtype(info)).isEqualTo(DType.FLOAT32);
                assertThat(ort.shape(info)).containsExactly(2, 3);
                Buffer owned = ort.ownedBuffer(t);
                assertThat(owned).as("ONNX Runtime's own copy of a heap buffer").isNotNull();
                assertThat(((FloatBuffer) owned).get(5)).isEqualTo(6f);
                // through the JNI shim (built and loaded on this machine), as outputs are read
                assertThat(OrtNative.available()).isTrue();
                ByteBuffer view = OrtNative.newView();
                ByteBuffer read = ort.nativeData(view, t, 24);
                assertThat(read).isSameAs(view);
                assertThat(read.order(java.nio.ByteOrder.nativeOrder()).getFloat(20)).isEqualTo(6f);
            }
        }
    }
}
