package io.mlguard.core.summary;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;
import java.util.function.LongSupplier;

/**
 * The bytes one serving thread's captured tensors are copied into until they are summarised: a
 * circular buffer, filled by that thread and freed, in the same order, by whoever summarises them.
 * Class loader: agent.
 *
 * <p>Positions are virtual byte counts that only grow; a tensor's bytes never wrap around the end
 * of the buffer (a tensor that would is put at its start instead). The producer moves {@code tail};
 * the consumer publishes what it has freed by a volatile write of {@code head}. The buffer starts
 * small and grows, up to {@code limitBytes}, to hold two of a tensor that did not fit (or twice its
 * size), at the next {@link #begin}: into a new buffer, while the captures waiting keep the one
 * they were copied into (a capture holds its buffer), and positions go on from where they were.
 */
public final class StageArena extends StageArenaPadAfterHead {
    static final int INITIAL_BYTES = 16 * 1024;

    /** How many captures the producer makes between two looks at {@code head}. */
    static final int LOOK_EVERY = 8;

    /**
     * @param limitBytes the largest the buffer grows to; rounded down to a power of two, and at
     *     least {@link #INITIAL_BYTES}
     */
    public StageArena(int limitBytes) {
        this(limitBytes, ShrinkWindow.NANOS, null);
    }

    /**
     * As above, with windows of {@code shrinkAfterNanos} at least, read from {@code clock} ({@code
     * null} for {@link System#nanoTime}; tests give their own).
     */
    public StageArena(int limitBytes, long shrinkAfterNanos, LongSupplier clock) {
        this.window = new ShrinkWindow(shrinkAfterNanos, clock);
        this.limitBytes = Math.max(INITIAL_BYTES, Integer.highestOneBit(limitBytes));
        allocate(Math.min(INITIAL_BYTES, this.limitBytes));
    }

    private void allocate(int size) {
        bytes = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        floats = bytes.asFloatBuffer();
        doubles = bytes.asDoubleBuffer();
        shorts = bytes.asShortBuffer();
        ints = bytes.asIntBuffer();
        longs = bytes.asLongBuffer();
        mask = size - 1;
    }

    /** The buffer's size now. */
    public int capacity() {
        return mask + 1;
    }

    /**
     * Starts a capture; returns the position to {@link #rollback} to if it does not fit. Grows the
     * buffer first if a capture did not fit before. Producer only.
     */
    long begin() {
        if (sinceLook < LOOK_EVERY) {
            sinceLook++; // the capture's first reservation looks once LOOK_EVERY have passed
        }
        if (wanted > 0) {
            if (capacity() < limitBytes) {
                // room for two such tensors, or twice what it had, whichever is more
                long size = Math.max(2L * capacity(), Long.highestOneBit(4L * wanted - 1));
                allocate((int) Math.min(limitBytes, size));
            }
            wanted = 0;
            window.restart();
        } else if (window.due() && sinceLook >= LOOK_EVERY) {
            // halved when nothing is held, after a window never a quarter full (ShrinkWindow). The
            // window ends at the first look after its captures that finds nothing held: a look
            // that was due anyway (this capture's reservation then does not look again), so no
            // extra read of the consumer's line. Ending it at a look that found captures held, as
            // before, lost the window: under a steady load the buffer then never shrank.
            long held = tail - look();
            window.saw(held);
            if (held == 0 && window.endsQuiet(capacity()) && capacity() > INITIAL_BYTES) {
                allocate(capacity() / 2);
            }
        }
        return tail;
    }

    /**
     * Whether the next {@link #begin} grows the buffer: a capture did not fit and it is below its
     * limit. Whatever is held then stays in the buffer it was copied into. Producer only.
     */
    public boolean growsNext() {
        return wanted > 0 && capacity() < limitBytes;
    }

    /**
     * Room for {@code length} bytes, aligned to 8: their offset in {@link #bytes()}, or -1 if they
     * do not fit now. Producer only.
     */
    int reserve(int length) {
        long p = (tail + 7) & ~7L;
        int at = (int) (p & mask);
        if (at + length > capacity()) {
            p += capacity() - at; // not across the end: from the start
            at = 0;
        }
        long inUse = p + length - headSeen;
        if (inUse > capacity() || sinceLook >= LOOK_EVERY) {
            // seems not to fit with what was freed at the last look, or a look is due: a look
            // now, and one the shrink window sees (it sees no guesses from a stale head)
            inUse = p + length - look();
            if (inUse > capacity()) {
                wanted = Math.max(wanted, length);
                return -1;
            }
            window.saw(inUse);
        }
        tail = p + length;
        return at;
    }

    /**
     * Reads {@code head} (the consumer's, written for every capture it frees) into {@code
     * headSeen}, and returns it. Once every {@link #LOOK_EVERY} captures, and when a capture seems
     * not to fit: reading it at every capture would fetch its line from the consumer's core each
     * time.
     */
    private long look() {
        sinceLook = 0;
        return headSeen = head;
    }

    /** Gives back what a capture that did not fit had reserved. Producer only. */
    void rollback(long mark) {
        tail = mark;
    }

    /** The position after the last reserved byte: what a capture frees once summarised. */
    long end() {
        return tail;
    }

    /** Frees everything before {@code position} (a capture's {@link #end}). Consumer only. */
    public void free(long position) {
        head = position;
    }

    /** The position freed up to: the bytes freed so far, captures follow one another. */
    public long freed() {
        return head;
    }

    ByteBuffer bytes() {
        return bytes;
    }

    FloatBuffer floats() {
        return floats;
    }

    DoubleBuffer doubles() {
        return doubles;
    }

    ShortBuffer shorts() {
        return shorts;
    }

    IntBuffer ints() {
        return ints;
    }

    LongBuffer longs() {
        return longs;
    }
}

/*
 * The fields of a stage arena, laid out so that head, which the consumer writes for every capture
 * it frees, is on cache lines of its own: else each of those writes takes away the line of the
 * fields the serving thread reads and writes at its next capture (tail, the buffer and its views),
 * and that read waits for the line to come back from the other core. A superclass's fields come
 * before its subclass's, so the padding classes keep the order; 128 bytes, since a core may fetch
 * lines in pairs.
 */

/** What the producer alone writes (the consumer reads the buffers through the captures' copies). */
abstract class StageArenaProducer {
    int limitBytes;

    ByteBuffer bytes;
    FloatBuffer floats;
    DoubleBuffer doubles;
    ShortBuffer shorts;
    IntBuffer ints;
    LongBuffer longs;
    int mask;

    /** Where the next tensor goes. */
    long tail;

    /** The producer's last look at {@code head}: everything before it was free then. */
    long headSeen;

    /** Captures begun since the last look at {@code head}. */
    int sinceLook;

    /** The largest tensor that did not fit, or 0: grow at the next {@code begin}. */
    int wanted;

    /** When a buffer grown for a burst is halved again. */
    ShrinkWindow window;
}

abstract class StageArenaPadBeforeHead extends StageArenaProducer {
    long pad01, pad02, pad03, pad04, pad05, pad06, pad07, pad08;
    long pad09, pad10, pad11, pad12, pad13, pad14, pad15, pad16;
}

/** What the consumer writes. */
abstract class StageArenaConsumer extends StageArenaPadBeforeHead {
    /** Everything before it is free again. */
    volatile long head;
}

/** Padding after {@code head}: {@link StageArena} declares no fields of its own but constants. */
abstract class StageArenaPadAfterHead extends StageArenaConsumer {
    long pad17, pad18, pad19, pad20, pad21, pad22, pad23, pad24;
    long pad25, pad26, pad27, pad28, pad29, pad30, pad31, pad32;
}
