package io.mlguard.instrumentation.onnxruntime;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import io.mlguard.protocol.DType;
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
}
