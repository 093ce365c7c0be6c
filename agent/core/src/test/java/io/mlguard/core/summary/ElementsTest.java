package io.mlguard.core.summary;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlguard.protocol.DType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import org.junit.jupiter.api.Test;

/** Element reads from little-endian byte buffers and from typed buffers agree. */
class ElementsTest {
    @Test
    void typedAndByteBuffersGiveTheSameElements() {
        float[] values = {0.5f, -2f, 3.25f};
        ByteBuffer bytes = ByteBuffer.allocateDirect(12).order(ByteOrder.LITTLE_ENDIAN);
        FloatBuffer floats =
                ByteBuffer.allocateDirect(12).order(ByteOrder.nativeOrder()).asFloatBuffer();
        for (float v : values) {
            bytes.putFloat(v);
            floats.put(v);
        }
        floats.rewind();
        assertThat(Elements.count(bytes, DType.FLOAT32)).isEqualTo(3);
        assertThat(Elements.count(floats, DType.FLOAT32)).isEqualTo(3);
        for (int i = 0; i < values.length; i++) {
            assertThat(Elements.get((java.nio.Buffer) bytes, DType.FLOAT32, i))
                    .isEqualTo(values[i]);
            assertThat(Elements.get(floats, DType.FLOAT32, i)).isEqualTo(values[i]);
        }
        assertThat(floats.position()).as("absolute reads leave the buffer alone").isZero();
    }

    @Test
    void onlyATypedBufferOfTheTensorsTypeHoldsItsElements() {
        LongBuffer longs = LongBuffer.wrap(new long[] {7, -1});
        assertThat(Elements.holdsElementsOf(longs, DType.INT64)).isTrue();
        assertThat(Elements.holdsElementsOf(longs, DType.FLOAT32)).isFalse();
        assertThat(Elements.holdsElementsOf(ByteBuffer.allocate(8), DType.UINT8)).isFalse();
        assertThat(Elements.get(longs, DType.INT64, 1)).isEqualTo(-1);
    }
}
