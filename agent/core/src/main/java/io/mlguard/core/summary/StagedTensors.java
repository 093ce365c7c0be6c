package io.mlguard.core.summary;

import io.mlguard.protocol.DType;
import io.mlguard.protocol.Records;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;

/**
 * One inference's tensors as a runtime handed them over, copied so that they can be summarised
 * later on another thread: name, type, shape and the elements the summaries would read. Class
 * loader: agent. Reused: one per capture slot, its copy buffer grown to the largest inference it
 * held and never beyond {@code limitBytes}.
 *
 * <p>A tensor is copied whole, in the tensor's element type, so that {@link Summaries#replay} reads
 * exactly the values, in the same order, that summarising it on the serving thread would have read,
 * and the record comes out the same bit for bit. An inference whose tensors do not fit in {@code
 * limitBytes}, or that hands over a buffer of a kind this class does not copy, marks the copy
 * {@link #overflowed()}; it is then summarised on the serving thread, as without staging.
 */
public final class StagedTensors {
    /** Longest shape kept; longer ones overflow (no runtime here makes them). */
    static final int MAX_SHAPE = 16;

    private static final int MAX_ENTRIES = 2 * Records.MAX_TENSORS;

    private final int limitBytes;

    private int count;
    private int inputs;
    private int outputs;
    private boolean overflowed;

    private final boolean[] isInput = new boolean[MAX_ENTRIES];
    private final String[] names = new String[MAX_ENTRIES];
    private final DType[] dtypes = new DType[MAX_ENTRIES];
    private final int[] ranks = new int[MAX_ENTRIES];
    private final long[][] shapes = new long[MAX_ENTRIES][MAX_SHAPE];

    /** Whether the runtime handed over data for the tensor. */
    private final boolean[] present = new boolean[MAX_ENTRIES];

    /** The tensor's first element in {@link #stage}, in elements of its own width. */
    private final int[] offsets = new int[MAX_ENTRIES];

    /** How many elements were copied: those the summaries can read. */
    private final long[] copied = new long[MAX_ENTRIES];

    /** Bytes of {@link #stage} in use. */
    private int used;

    private ByteBuffer stage = ByteBuffer.allocate(0).order(ByteOrder.LITTLE_ENDIAN);
    private FloatBuffer floats = stage.asFloatBuffer();
    private DoubleBuffer doubles = stage.asDoubleBuffer();
    private ShortBuffer shorts = stage.asShortBuffer();
    private IntBuffer ints = stage.asIntBuffer();
    private LongBuffer longs = stage.asLongBuffer();

    public StagedTensors(int limitBytes) {
        this.limitBytes = limitBytes;
    }

    /** Empties it for the next inference; keeps the copy buffer. */
    public void clear() {
        for (int i = 0; i < count; i++) {
            names[i] = null;
        }
        count = 0;
        inputs = 0;
        outputs = 0;
        used = 0;
        overflowed = false;
    }

    /** Whether some tensor could not be copied: the inference must be summarised in place. */
    public boolean overflowed() {
        return overflowed;
    }

    /** How many tensors are held. */
    public int size() {
        return count;
    }

    /** The bytes the copy buffer holds now: what this slot costs in memory. */
    public int capacityBytes() {
        return stage.capacity();
    }

    /**
     * Copies one tensor. Tensors past {@link Records#MAX_TENSORS} of each kind are skipped, as the
     * summaries skip them. {@code data} is a little-endian {@code ByteBuffer} or a typed buffer of
     * the tensor's elements, or {@code null}.
     */
    void add(boolean input, String name, DType dtype, long[] shape, Buffer data) {
        if (overflowed) {
            return;
        }
        if (input ? inputs >= Records.MAX_TENSORS : outputs >= Records.MAX_TENSORS) {
            return;
        }
        if (shape.length > MAX_SHAPE) {
            overflowed = true;
            return;
        }
        int i = count;
        long n = 0;
        int width = Elements.width(dtype);
        boolean has = data != null;
        if (has && width > 0) {
            n = Math.min(Summaries.count(shape), Elements.count(data, dtype));
            long bytes = n * width;
            int at = (used + 7) & ~7; // every element aligned to its width
            if (at + bytes > limitBytes || !copy(data, dtype, width, at, (int) n)) {
                overflowed = true;
                return;
            }
            offsets[i] = at / width;
            used = at + (int) bytes;
        }
        isInput[i] = input;
        names[i] = name;
        dtypes[i] = dtype;
        ranks[i] = shape.length;
        System.arraycopy(shape, 0, shapes[i], 0, shape.length);
        present[i] = has;
        copied[i] = n;
        count++;
        if (input) {
            inputs++;
        } else {
            outputs++;
        }
    }

    /** Copies {@code n} elements to byte {@code at} of the stage; false for a buffer it cannot. */
    private boolean copy(Buffer data, DType dtype, int width, int at, int n) {
        int end = at + n * width;
        if (end > stage.capacity()) {
            grow(end);
        }
        if (n == 0) {
            return true;
        }
        // absolute bulk copies (JDK 16): neither buffer's position moves
        if (data instanceof ByteBuffer) {
            stage.put(at, (ByteBuffer) data, 0, n * width);
        } else if (!Elements.holdsElementsOf(data, dtype)) {
            return false;
        } else if (data instanceof FloatBuffer) {
            floats.put(at / width, (FloatBuffer) data, 0, n);
        } else if (data instanceof LongBuffer) {
            longs.put(at / width, (LongBuffer) data, 0, n);
        } else if (data instanceof IntBuffer) {
            ints.put(at / width, (IntBuffer) data, 0, n);
        } else if (data instanceof DoubleBuffer) {
            doubles.put(at / width, (DoubleBuffer) data, 0, n);
        } else if (data instanceof ShortBuffer) {
            shorts.put(at / width, (ShortBuffer) data, 0, n);
        } else {
            return false;
        }
        return true;
    }

    private void grow(int need) {
        int size = Math.min(limitBytes, Math.max(need, 2 * stage.capacity()));
        ByteBuffer bigger = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        bigger.put(0, stage, 0, used);
        stage = bigger;
        floats = bigger.asFloatBuffer();
        doubles = bigger.asDoubleBuffer();
        shorts = bigger.asShortBuffer();
        ints = bigger.asIntBuffer();
        longs = bigger.asLongBuffer();
    }

    boolean isInput(int i) {
        return isInput[i];
    }

    String name(int i) {
        return names[i];
    }

    DType dtype(int i) {
        return dtypes[i];
    }

    int rank(int i) {
        return ranks[i];
    }

    long[] shape(int i) {
        return shapes[i];
    }

    /** Points {@code data} at tensor {@code i}'s copy. */
    TensorData view(int i, TensorData data) {
        return data.ofStaged(present[i] ? stage : null, dtypes[i], offsets[i], copied[i]);
    }
}
