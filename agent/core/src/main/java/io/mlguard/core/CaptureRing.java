package io.mlguard.core;

import io.mlguard.core.summary.StageArena;
import io.mlguard.core.summary.StagedTensors;
import io.mlguard.protocol.ClientIdSource;
import io.mlguard.protocol.InferenceRecord;
import io.mlguard.protocol.Outcome;

/**
 * One serving thread's captured inferences on their way to being summarised and written: a
 * single-producer, single-consumer ring of reusable slots, each a record's header (everything but
 * its summaries) and the inference's tensors, copied into the thread's {@link StageArena}. Class
 * loader: agent. A slot is a few hundred bytes; the arena holds the tensors' elements.
 *
 * <p>The producer is the thread that owns the ring; the consumer is whoever holds the ring's
 * monitor (the summary thread, or the owner itself when the ring is full or its records must be
 * written before another of its own), summarising into the ring's own {@link #record}. The producer
 * publishes a slot by a volatile write of {@code tail} after filling it, the consumer frees it by a
 * volatile write of {@code head} after it is written.
 */
final class CaptureRing {
    /** A captured inference: its record's header and its tensors. */
    static final class Slot {
        final StagedTensors tensors = new StagedTensors();

        /** The arena position to free once this capture is written. */
        long arenaEnd;

        private long timestampMillis;
        private long latencyNanos;
        private String agentId;
        private String runtime;
        private String modelId;
        private long modelHashPrefix;
        private Outcome outcome;
        private String errorType;
        private ClientIdSource clientIdSource;
        private String clientId;
        private String requestPath;
        private String traceId;
        private String spanId;

        /** Keeps {@code r}'s header: what the serving thread knows of the inference. */
        void takeHeader(InferenceRecord r) {
            timestampMillis = r.timestampMillis;
            latencyNanos = r.latencyNanos;
            agentId = r.agentId;
            runtime = r.runtime;
            modelId = r.modelId;
            modelHashPrefix = r.modelHashPrefix;
            outcome = r.outcome;
            errorType = r.errorType;
            clientIdSource = r.clientIdSource;
            clientId = r.clientId;
            requestPath = r.requestPath;
            traceId = r.traceId;
            spanId = r.spanId;
        }

        /** Clears {@code r} and gives it the header kept; drops the slot's references. */
        void putHeader(InferenceRecord r) {
            r.clear();
            r.timestampMillis = timestampMillis;
            r.latencyNanos = latencyNanos;
            r.agentId = agentId;
            r.runtime = runtime;
            r.modelId = modelId;
            r.modelHashPrefix = modelHashPrefix;
            r.outcome = outcome;
            r.errorType = errorType;
            r.clientIdSource = clientIdSource;
            r.clientId = clientId;
            r.requestPath = requestPath;
            r.traceId = traceId;
            r.spanId = spanId;
            agentId = null;
            runtime = null;
            modelId = null;
            errorType = null;
            clientId = null;
            requestPath = null;
            traceId = null;
            spanId = null;
        }
    }

    private final Slot[] slots;
    private final int mask;

    /** Where the slots' tensors are copied. */
    final StageArena arena;

    /** The record the consumer summarises a slot into; under the ring's monitor. */
    final InferenceRecord record = new InferenceRecord();

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
     * @param stageLimitBytes the most bytes the arena grows to
     */
    CaptureRing(int size, int stageLimitBytes, Thread owner) {
        if (size < 1 || Integer.bitCount(size) != 1) {
            throw new IllegalArgumentException("ring size " + size + " is not a power of two");
        }
        slots = new Slot[size];
        for (int i = 0; i < size; i++) {
            slots[i] = new Slot();
        }
        mask = size - 1;
        arena = new StageArena(stageLimitBytes);
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

    /** How many captures the ring holds at most. */
    int capacity() {
        return slots.length;
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

    /** Frees the slot {@link #peek} returned, and its room in the arena. Consumer only. */
    void release(Slot s) {
        s.tensors.clear();
        arena.free(s.arenaEnd);
        head = head + 1;
    }
}
