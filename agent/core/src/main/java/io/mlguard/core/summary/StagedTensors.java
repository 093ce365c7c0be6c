package io.mlguard.core.summary;

import io.mlguard.protocol.DType;
import io.mlguard.protocol.Records;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;
import java.util.Arrays;

/**
 * One inference's tensors as a runtime handed them over, copied so that they can be summarised
 * later on another thread: name, type, shape and the elements the summaries would read. Class
 * loader: agent. Reused: one per capture slot; the elements go into the serving thread's {@link
 * StageArena}, the rest into arrays grown to the most tensors one inference had.
 *
 * <p>A tensor is copied whole, in the tensor's element type, so that {@link Summaries#replay} reads
 * exactly the values, in the same order, that summarising it on the serving thread would have read,
 * and the record comes out the same bit for bit. An inference whose tensors do not fit in the arena
 * now, or that hands over a buffer of a kind this class does not copy, marks the copy {@link
 * #overflowed()}; it is then summarised on the serving thread, as without staging.
 */
public final class StagedTensors {
    /** Longest shape kept; longer ones overflow (no runtime here makes them). */
    static final int MAX_SHAPE = 16;

    private static final int MAX_ENTRIES = 2 * Records.MAX_TENSORS;

    /**
     * The most bytes one inference's tensors are copied with, whatever room the arena has: past
     * that, summarising in place (where tensors beyond {@code maxElements} are sampled, not read
     * whole) costs the serving thread less than copying them would.
     */
    public static final int MAX_CAPTURE_BYTES = 256 * 1024;

    /** Bytes this capture has copied so far. */
    private long stagedBytes;

    private int count;
    private int inputs;
    private int outputs;
    private boolean overflowed;

    /** The arena of this capture, from {@link #begin}, and where the capture started in it. */
    private StageArena arena;

    private long mark;

    /** The arena's buffer the elements were copied into (it may grow for later captures). */
    private ByteBuffer stage;

    private boolean[] isInput = new boolean[4];
    private String[] names = new String[4];
    private DType[] dtypes = new DType[4];

    /** Whether the runtime handed over data for the tensor. */
    private boolean[] present = new boolean[4];

    /** The tensor's first element in {@link #stage}, in elements of its own width. */
    private int[] offsets = new int[4];

    /** How many elements were copied: those the summaries can read. */
    private long[] copied = new long[4];

    /** Each tensor's shape: its rank, then where its dimensions start in {@link #dims}. */
    private int[] ranks = new int[4];

    private int[] dimsAt = new int[4];
    private long[] dims = new long[16];
    private int dimsUsed;

    /** One tensor's shape at a time, for {@link #shape}. */
    private final long[] shapeScratch = new long[MAX_SHAPE];

    /** Empties it for the next inference. */
    public void clear() {
        for (int i = 0; i < count; i++) {
            names[i] = null;
        }
        count = 0;
        stagedBytes = 0;
        inputs = 0;
        outputs = 0;
        dimsUsed = 0;
        overflowed = false;
        arena = null;
        stage = null;
    }

    /** Starts a capture whose elements go into {@code arena}. Producer only. */
    public void begin(StageArena arena) {
        clear();
        this.arena = arena;
        this.mark = arena.begin();
        this.stage = arena.bytes();
    }

    /**
     * Ends the capture: the arena position to free once it is summarised, or -1 if it overflowed
     * (its room in the arena is given back then).
     */
    public long end() {
        StageArena a = arena;
        if (overflowed) {
            a.rollback(mark);
            return -1;
        }
        return a.end();
    }

    /** Whether some tensor could not be copied: the inference must be summarised in place. */
    public boolean overflowed() {
        return overflowed;
    }

    /** How many tensors are held. */
    public int size() {
        return count;
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
        if (shape.length > MAX_SHAPE || arena == null) {
            overflowed = true;
            return;
        }
        int i = count;
        if (i == isInput.length) {
            grow();
        }
        long n = 0;
        int width = Elements.width(dtype);
        boolean has = data != null;
        if (has && width > 0) {
            n = Math.min(Summaries.count(shape), Elements.count(data, dtype));
            long bytes = n * width;
            stagedBytes += bytes;
            int at = stagedBytes > MAX_CAPTURE_BYTES ? -1 : arena.reserve((int) bytes);
            if (at < 0 || !copy(data, dtype, width, at, (int) n)) {
                overflowed = true;
                return;
            }
            offsets[i] = at / width;
        }
        if (dimsUsed + shape.length > dims.length) {
            dims = Arrays.copyOf(dims, Math.max(2 * dims.length, dimsUsed + shape.length));
        }
        System.arraycopy(shape, 0, dims, dimsUsed, shape.length);
        dimsAt[i] = dimsUsed;
        dimsUsed += shape.length;
        ranks[i] = shape.length;
        isInput[i] = input;
        names[i] = name;
        dtypes[i] = dtype;
        present[i] = has;
        copied[i] = n;
        count++;
        if (input) {
            inputs++;
        } else {
            outputs++;
        }
    }

    private void grow() {
        int size = Math.min(MAX_ENTRIES, 2 * isInput.length);
        isInput = Arrays.copyOf(isInput, size);
        names = Arrays.copyOf(names, size);
        dtypes = Arrays.copyOf(dtypes, size);
        present = Arrays.copyOf(present, size);
        offsets = Arrays.copyOf(offsets, size);
        copied = Arrays.copyOf(copied, size);
        ranks = Arrays.copyOf(ranks, size);
        dimsAt = Arrays.copyOf(dimsAt, size);
    }

    /** Copies {@code n} elements to byte {@code at} of the arena; false for a buffer it cannot. */
    private boolean copy(Buffer data, DType dtype, int width, int at, int n) {
        if (n == 0) {
            return true;
        }
        StageArena a = arena;
        // absolute bulk copies (JDK 16): neither buffer's position moves
        if (data instanceof ByteBuffer) {
            a.bytes().put(at, (ByteBuffer) data, 0, n * width);
        } else if (!Elements.holdsElementsOf(data, dtype)) {
            return false;
        } else if (data instanceof FloatBuffer) {
            a.floats().put(at / width, (FloatBuffer) data, 0, n);
        } else if (data instanceof LongBuffer) {
            a.longs().put(at / width, (LongBuffer) data, 0, n);
        } else if (data instanceof IntBuffer) {
            a.ints().put(at / width, (IntBuffer) data, 0, n);
        } else if (data instanceof DoubleBuffer) {
            a.doubles().put(at / width, (DoubleBuffer) data, 0, n);
        } else if (data instanceof ShortBuffer) {
            a.shorts().put(at / width, (ShortBuffer) data, 0, n);
        } else {
            return false;
        }
        return true;
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

    /** Tensor {@code i}'s shape, in its first {@link #rank} entries; valid until the next call. */
    long[] shape(int i) {
        System.arraycopy(dims, dimsAt[i], shapeScratch, 0, ranks[i]);
        return shapeScratch;
    }

    /** Points {@code data} at tensor {@code i}'s copy. */
    TensorData view(int i, TensorData data) {
        return data.ofStaged(present[i] ? stage : null, dtypes[i], offsets[i], copied[i]);
    }
}
