package io.mlguard.core;

import io.mlguard.core.summary.StagedTensors;
import io.mlguard.protocol.InferenceRecord;

/**
 * One serving thread's captured inferences on their way to being summarised and written: a
 * single-producer, single-consumer ring of reusable slots, each a record (filled but for its tensor
 * summaries) and the inference's tensors, copied. Class loader: agent.
 *
 * <p>The producer is the thread that owns the ring; the consumer is whoever holds the ring's
 * monitor (the summary thread, or the owner itself when the ring is full or its records must be
 * written before another of its own). The producer publishes a slot by a volatile write of {@code
 * tail} after filling it, the consumer frees it by a volatile write of {@code head} after it is
 * written.
 */
final class CaptureRing {
    /** A captured inference: its record and its tensors. */
    static final class Slot {
        final InferenceRecord record = new InferenceRecord();
        final StagedTensors tensors;

        Slot(int stageLimitBytes) {
            tensors = new StagedTensors(stageLimitBytes);
        }
    }

    private final Slot[] slots;
    private final int mask;

    /** The next slot the producer fills; slots before it are published. */
    private volatile long tail;

    /** The next slot the consumer takes; slots before it are free again. */
    private volatile long head;

    /** The producer's last look at {@code head}: one volatile read per fill of the ring. */
    private long headSeen;

    /** The serving thread that fills the ring; the summary thread forgets it once it has ended. */
    final Thread owner;

    /**
     * @param size slots, a power of two
     * @param stageLimitBytes the most tensor bytes one slot holds
     */
    CaptureRing(int size, int stageLimitBytes, Thread owner) {
        if (size < 1 || Integer.bitCount(size) != 1) {
            throw new IllegalArgumentException("ring size " + size + " is not a power of two");
        }
        slots = new Slot[size];
        for (int i = 0; i < size; i++) {
            slots[i] = new Slot(stageLimitBytes);
        }
        mask = size - 1;
        this.owner = owner;
    }

    /** The slot to fill next, or {@code null} if every slot waits. Producer only. */
    Slot claim() {
        long t = tail;
        if (t - headSeen >= slots.length) {
            headSeen = head;
            if (t - headSeen >= slots.length) {
                return null;
            }
        }
        return slots[(int) t & mask];
    }

    /** Publishes the slot {@link #claim} returned. Producer only. */
    void publish() {
        tail = tail + 1;
    }

    /** Whether no slot waits; from any thread. */
    boolean isEmpty() {
        return head == tail;
    }

    /** The oldest published slot, or {@code null}. Consumer only. */
    Slot peek() {
        long h = head;
        return h == tail ? null : slots[(int) h & mask];
    }

    /** Frees the slot {@link #peek} returned. Consumer only. */
    void release() {
        head = head + 1;
    }

    /** The bytes the slots' tensor copies hold now. */
    long stagedBytes() {
        long n = 0;
        for (Slot s : slots) {
            n += s.tensors.capacityBytes();
        }
        return n;
    }
}
