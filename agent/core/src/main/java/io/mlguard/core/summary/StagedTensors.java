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
 * StageArena}, their descriptions into one array of words and their names into another, both grown
 * to the most tensors one inference had. Only the serving thread that owns it writes it: the
 * summary thread reads it once published, and leaves it for the next {@link #begin}.
 *
 * <p>A capture ring's slot extends it, adding the record's header: one object per capture, so that
 * the serving thread, which finds a slot cold, waits for one object's lines, not for a slot and
 * then, once it has its reference, for its tensors.
 *
 * <p>A tensor is copied whole, in the tensor's element type, so that {@link Summaries#replay} reads
 * exactly the values, in the same order, that summarising it on the serving thread would have read,
 * and the record comes out the same bit for bit. An inference whose tensors do not fit in the arena
 * now, or that hands over a buffer of a kind this class does not copy, marks the copy {@link
 * #overflowed()}; it is then summarised on the serving thread, as without staging.
 */
public class StagedTensors implements StagingTarget {
    /** Longest shape kept; longer ones overflow (no runtime here makes them). */
    static final int MAX_SHAPE = 16;

    private static final int MAX_ENTRIES = 2 * Records.MAX_TENSORS;

    /**
     * The most bytes one inference's tensors are copied with, whatever room the arena has: past
     * that, summarising in place (where tensors beyond {@code maxElements} are sampled, not read
     * whole) costs the serving thread less than copying them would.
     */
    public static final int MAX_CAPTURE_BYTES = 256 * 1024;

    private static final DType[] DTYPES = DType.values();

    /**
     * A tensor's first word in {@link #meta}: its rank in the low byte, its type's ordinal in the
     * next, then whether it is an input and whether the runtime handed over its data.
     */
    private static final int TYPE_SHIFT = 8;

    private static final long INPUT = 1L << 16;
    private static final long PRESENT = 1L << 17;

    /** Words of a tensor before its dimensions: the first word, its offset and its count. */
    private static final int HEAD_WORDS = 3;

    /** Bytes this capture has copied so far. */
    private long stagedBytes;

    private int count;
    private int inputs;
    private int outputs;
    private boolean overflowed;

    /** Whether {@link #begin} started a capture that has not been cleared. */
    private boolean begun;

    /** The arena of this capture, from {@link #begin}, and where the capture started in it. */
    private StageArena arena;

    private long mark;

    /** The arena's buffer the elements were copied into (it may grow for later captures). */
    private ByteBuffer stage;

    /**
     * Every tensor's description, one after the other: its first word, the offset of its first
     * element in {@link #stage} (in elements of its own width), how many elements were copied
     * (those the summaries can read), then its dimensions. One array, so that a capture writes few
     * cache lines: the serving thread finds a slot's lines cold, last read by the summary thread.
     */
    private long[] meta = new long[4 * (HEAD_WORDS + 2)];

    private int metaUsed;

    /** Where each tensor starts in {@link #meta}. */
    private int[] at = new int[4];

    /**
     * Each tensor's name. Kept after the capture (they are a model's names) and written only when
     * they change: storing a reference into this long-lived object costs a garbage collector's
     * barrier, up to a fence.
     */
    private String[] names = new String[4];

    /** Itself: tensors staged into it are copied here. */
    @Override
    public StagedTensors current() {
        return this;
    }

    /** Empties it for the next inference; the producer's, or the overflowed capture's owner. */
    public void clear() {
        count = 0;
        stagedBytes = 0;
        inputs = 0;
        outputs = 0;
        metaUsed = 0;
        overflowed = false;
        begun = false;
    }

    /** Starts a capture whose elements go into {@code arena}. Producer only. */
    public void begin(StageArena arena) {
        clear();
        begun = true;
        if (this.arena != arena) {
            this.arena = arena;
        }
        this.mark = arena.begin();
        ByteBuffer bytes = arena.bytes(); // after begin(), which may grow it
        if (stage != bytes) {
            stage = bytes;
        }
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
        if (shape.length > MAX_SHAPE || !begun) {
            overflowed = true;
            return;
        }
        int i = count;
        if (i == at.length) {
            grow();
        }
        long n = 0;
        int offset = 0;
        int width = Elements.width(dtype);
        boolean has = data != null;
        if (has && width > 0) {
            n = Math.min(Summaries.count(shape), Elements.count(data, dtype));
            long bytes = n * width;
            stagedBytes += bytes;
            int where = stagedBytes > MAX_CAPTURE_BYTES ? -1 : arena.reserve((int) bytes);
            if (where < 0 || !copy(data, dtype, width, where, (int) n)) {
                overflowed = true;
                return;
            }
            offset = where / width;
        }
        int m = metaUsed;
        int next = m + HEAD_WORDS + shape.length;
        long[] mt = meta;
        if (next > mt.length) {
            mt = meta = Arrays.copyOf(mt, Math.max(2 * mt.length, next));
        }
        mt[m] =
                shape.length
                        | (long) dtype.ordinal() << TYPE_SHIFT
                        | (input ? INPUT : 0)
                        | (has ? PRESENT : 0);
        mt[m + 1] = offset;
        mt[m + 2] = n;
        for (int d = 0; d < shape.length; d++) {
            mt[m + HEAD_WORDS + d] = shape[d];
        }
        metaUsed = next;
        at[i] = m;
        if (names[i] != name) {
            names[i] = name;
        }
        count++;
        if (input) {
            inputs++;
        } else {
            outputs++;
        }
    }

    private void grow() {
        int size = Math.min(MAX_ENTRIES, 2 * at.length);
        at = Arrays.copyOf(at, size);
        names = Arrays.copyOf(names, size);
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

    private long first(int i) {
        return meta[at[i]];
    }

    boolean isInput(int i) {
        return (first(i) & INPUT) != 0;
    }

    String name(int i) {
        return names[i];
    }

    DType dtype(int i) {
        return DTYPES[(int) (first(i) >>> TYPE_SHIFT) & 0xff];
    }

    int rank(int i) {
        return (int) first(i) & 0xff;
    }

    /**
     * Tensor {@code i}'s shape, in the first {@link #rank} entries of {@code into} (of {@link
     * #MAX_SHAPE}), which is returned: the reader's own array, since a reader writing into this
     * object would take its cache lines from the serving thread that fills it next.
     */
    long[] shape(int i, long[] into) {
        System.arraycopy(meta, at[i] + HEAD_WORDS, into, 0, rank(i));
        return into;
    }

    /** Points {@code data} at tensor {@code i}'s copy. */
    TensorData view(int i, TensorData data) {
        int m = at[i];
        long w = meta[m];
        return data.ofStaged(
                (w & PRESENT) != 0 ? stage : null,
                DTYPES[(int) (w >>> TYPE_SHIFT) & 0xff],
                (int) meta[m + 1],
                meta[m + 2]);
    }
}
