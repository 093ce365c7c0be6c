package io.mlguard.core.summary;

import io.mlguard.protocol.DType;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * One tensor's elements as the summaries read them, reused for every tensor a thread summarises.
 * Class loader: agent.
 *
 * <p>A float32 tensor of up to {@link #DENSE_LIMIT} elements is first copied into a float array
 * (one bulk copy from a {@code FloatBuffer}, one tight loop from a little-endian {@code
 * ByteBuffer}); the statistics, the classes and the fingerprint then read that array instead of
 * dispatching on the buffer's class and the element type for every element they read. Any other
 * tensor is read in place through {@link Elements}. Either way an element reads as the same double.
 */
final class TensorData {
    /** Largest tensor copied: the array stays at most 64 KB per thread. */
    static final int DENSE_LIMIT = 16384;

    private final int denseLimit;
    private float[] dense = new float[0];

    /** How many leading elements {@link #dense} holds; 0 when the tensor is read in place. */
    private int copied;

    private Buffer data;
    private DType dtype;
    private long available;

    /** Where element 0 is in {@link #data}, in elements: 0 but for a staged copy. */
    private int offset;

    /**
     * Whether {@link #data} is a stage buffer ({@link #ofStaged}), which lives as long as its
     * arena.
     */
    private boolean staged;

    /**
     * The last stage buffer copied from, and a float view of it from its byte 0; or null. Kept
     * after {@link #release}, so at most one buffer of an arena that has since grown, shrunk or
     * ended outlives it, until the next stage buffer is copied from.
     */
    private ByteBuffer viewed;

    private FloatBuffer floats;

    TensorData() {
        this(DENSE_LIMIT);
    }

    /**
     * @param denseLimit the largest tensor to copy, at most {@link #DENSE_LIMIT}: the summarizer's
     *     sampling limit, so that a copy never reads more elements than the statistics do
     */
    TensorData(int denseLimit) {
        this.denseLimit = Math.min(DENSE_LIMIT, denseLimit);
    }

    /**
     * Points at {@code data} (little-endian {@code ByteBuffer} or typed buffer, may be {@code
     * null}) of which at most {@code count} elements will be read.
     */
    TensorData of(Buffer data, DType dtype, long count) {
        staged = false;
        return point(data, dtype, 0, data == null ? 0 : Elements.count(data, dtype), count);
    }

    /**
     * Points at the {@code available} elements of a tensor copied into {@code stage} (see {@link
     * StagedTensors}), the first at element {@code offset}; {@code stage} is {@code null} when the
     * runtime handed over no data. Reads then as {@link #of} read the tensor itself.
     */
    TensorData ofStaged(ByteBuffer stage, DType dtype, int offset, long available) {
        staged = true;
        return point(stage, dtype, offset, stage == null ? 0 : available, available);
    }

    /**
     * Points at {@code available} elements of {@code data} from element {@code offset}, of which at
     * most {@code count} will be read; copies them first when they are few enough float32s.
     */
    private TensorData point(Buffer data, DType dtype, int offset, long available, long count) {
        this.data = data;
        this.dtype = dtype;
        this.copied = 0;
        this.offset = offset;
        this.available = available;
        long n = Math.min(count, available);
        if (dtype == DType.FLOAT32 && n > 0 && n <= denseLimit) {
            copy(data, (int) n);
        }
        return this;
    }

    private void copy(Buffer b, int n) {
        if (dense.length < n) {
            dense = new float[Math.max(n, Math.min(denseLimit, 2 * dense.length))];
        }
        float[] a = dense;
        if (b instanceof FloatBuffer) {
            ((FloatBuffer) b).get(0, a, 0, n); // absolute: the buffer's position stays
        } else if (staged) {
            // one bulk copy through a float view, made once per stage buffer: a stage buffer
            // lasts as long as its arena, and a tensor's elements start at a multiple of 4 bytes
            ByteBuffer bb = (ByteBuffer) b;
            if (bb != viewed) {
                floats = bb.duplicate().clear().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
                viewed = bb;
            }
            floats.get(offset, a, 0, n);
        } else if (b instanceof ByteBuffer) {
            // a runtime's buffer, new at each inference: a view would be made each time
            ByteBuffer bb = (ByteBuffer) b;
            for (int i = 0; i < n; i++) {
                a[i] = bb.getFloat(i << 2);
            }
        } else {
            return;
        }
        copied = n;
    }

    /** Drops the reference to the tensor's data, which the caller may free after the call. */
    void release() {
        data = null;
        copied = 0;
        offset = 0;
        available = 0;
    }

    /** The copied elements, valid up to {@link #copied()}. */
    float[] dense() {
        return dense;
    }

    /** How many leading elements {@link #dense()} holds: 0 when the tensor is read in place. */
    int copied() {
        return copied;
    }

    /** Whether there is data to read. */
    boolean present() {
        return data != null;
    }

    DType dtype() {
        return dtype;
    }

    /** How many elements of the tensor's type the data holds. */
    long available() {
        return available;
    }

    /** Element {@code i}, {@code 0 <= i < available()}, as a double. */
    double get(long i) {
        return i < copied ? dense[(int) i] : Elements.get(data, dtype, offset + i);
    }
}
