package io.mlguard.core;

import io.mlguard.core.summary.ShrinkWindow;
import io.mlguard.core.summary.StageArena;
import io.mlguard.core.summary.StagedTensors;
import io.mlguard.core.summary.StagingTarget;
import io.mlguard.protocol.ClientIdSource;
import io.mlguard.protocol.InferenceRecord;
import io.mlguard.protocol.Outcome;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.LongSupplier;

/**
 * One serving thread's captured inferences on their way to being summarised and written: a
 * single-producer, single-consumer ring of reusable slots, each a record's header (everything but
 * its summaries) and the inference's tensors, copied into the thread's {@link StageArena}. Class
 * loader: agent. A slot is a few hundred bytes; the arena holds the tensors' elements.
 *
 * <p>The producer is the thread that owns the ring; the consumer is whoever holds the ring's
 * monitor (the summary thread, or the owner itself when the ring is full at its most slots or its
 * records must be written before another of its own), summarising into the ring's own {@link
 * #record}. The producer publishes a slot by a release write of {@code tail} after filling it, the
 * consumer frees it by a volatile write of {@code head} after it is written.
 */
final class CaptureRing extends CaptureRingPadAfterHead implements StagingTarget {
    /** A captured inference: its record's header, and its tensors (what it extends). */
    static final class Slot extends StagedTensors {
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

        /**
         * Keeps {@code r}'s header: what the serving thread knows of the inference. A reference is
         * stored only when it changes (the agent's id, the runtime and the model rarely do):
         * storing one into this long-lived slot costs a garbage collector's barrier, up to a fence.
         */
        void takeHeader(InferenceRecord r) {
            timestampMillis = r.timestampMillis;
            latencyNanos = r.latencyNanos;
            modelHashPrefix = r.modelHashPrefix;
            if (agentId != r.agentId) {
                agentId = r.agentId;
            }
            if (runtime != r.runtime) {
                runtime = r.runtime;
            }
            if (modelId != r.modelId) {
                modelId = r.modelId;
            }
            if (outcome != r.outcome) {
                outcome = r.outcome;
            }
            if (errorType != r.errorType) {
                errorType = r.errorType;
            }
            if (clientIdSource != r.clientIdSource) {
                clientIdSource = r.clientIdSource;
            }
            if (clientId != r.clientId) {
                clientId = r.clientId;
            }
            if (requestPath != r.requestPath) {
                requestPath = r.requestPath;
            }
            if (traceId != r.traceId) {
                traceId = r.traceId;
            }
            if (spanId != r.spanId) {
                spanId = r.spanId;
            }
        }

        /**
         * Clears {@code r} and gives it the header kept. The slot is only read here: the consumer
         * writes none of a slot's cache lines, which the serving thread fills next. Its strings
         * stay until the slot's next capture replaces them.
         */
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
        }
    }

    /** Slots a ring starts with. */
    static final int INITIAL_SLOTS = 64;

    /**
     * @param maxSlots the most slots it grows to, a power of two; it starts with {@link
     *     #INITIAL_SLOTS} or that, whichever is fewer
     * @param stageLimitBytes the most bytes the arena grows to
     */
    CaptureRing(int maxSlots, int stageLimitBytes, Thread owner) {
        this(maxSlots, stageLimitBytes, owner, ShrinkWindow.NANOS, null);
    }

    /**
     * As above, with windows of {@code shrinkAfterNanos} at least, read from {@code clock} ({@code
     * null} for {@link System#nanoTime}; tests give their own), for the ring and its arena.
     */
    CaptureRing(
            int maxSlots,
            int stageLimitBytes,
            Thread owner,
            long shrinkAfterNanos,
            LongSupplier clock) {
        if (maxSlots < 1 || Integer.bitCount(maxSlots) != 1) {
            throw new IllegalArgumentException("ring size " + maxSlots + " is not a power of two");
        }
        this.window = new ShrinkWindow(shrinkAfterNanos, clock);
        this.maxSlots = maxSlots;
        slots = newSlots(Math.min(INITIAL_SLOTS, maxSlots), new Slot[0]);
        arena = new StageArena(stageLimitBytes, shrinkAfterNanos, clock);
        this.owner = owner;
    }

    /** {@code size} slots, the first ones those of {@code old}. */
    private static Slot[] newSlots(int size, Slot[] old) {
        Slot[] s = new Slot[size];
        int kept = Math.min(size, old.length);
        System.arraycopy(old, 0, s, 0, kept);
        for (int i = kept; i < size; i++) {
            s[i] = new Slot();
        }
        return s;
    }

    /**
     * The slot to fill next, or {@code null} if every slot waits and the ring has its most slots. A
     * ring found full below its most slots doubles at once (a summary thread held up for a few
     * milliseconds, its core taken by another thread, fills a ring of 64 at tens of thousands of
     * inferences a second), so that the serving thread neither writes a waiting record itself nor
     * waits for the ring's lock held by that summary thread; it halves again, once empty, after
     * quiet windows, so that memory comes back after the burst. Producer only.
     */
    Slot claim() {
        long t = tail;
        Slot[] ss = slots;
        if (window.due()) {
            shrinkIfEmpty(t, ss);
            ss = slots;
        }
        if (t - headSeen >= ss.length) {
            headSeen = head;
            long waiting = t - headSeen;
            window.saw(waiting);
            if (waiting >= ss.length) {
                if (ss.length >= maxSlots) {
                    return null;
                }
                ss = grow(t, ss);
            }
        }
        return ss[(int) t & (ss.length - 1)];
    }

    /**
     * Twice the slots of a full ring, made while the consumer takes its waiting ones: each of those
     * goes where its position ({@code tail - old.length} to {@code tail}) falls in the new slots,
     * so that the consumer finds it in either; the positions from {@code tail} on get new slots.
     * The new slots are stored with a release write, read with an acquire one: a consumer that
     * reads them before the next {@code tail} still finds them filled.
     */
    private Slot[] grow(long t, Slot[] old) {
        int size = 2 * old.length;
        Slot[] s = new Slot[size];
        for (long p = t - old.length; p < t; p++) {
            s[(int) p & (size - 1)] = old[(int) p & (old.length - 1)];
        }
        for (int i = 0; i < size; i++) {
            if (s[i] == null) {
                s[i] = new Slot();
            }
        }
        SLOTS.setRelease(this, s);
        window.restart();
        return s;
    }

    /** Halves the slots after a quiet window ({@link ShrinkWindow}), if none waits now. */
    private void shrinkIfEmpty(long t, Slot[] ss) {
        headSeen = head;
        if (headSeen != t) {
            return; // some wait: look again at the next capture
        }
        if (window.endsQuiet(ss.length) && ss.length > INITIAL_SLOTS) {
            SLOTS.setRelease(this, newSlots(ss.length / 2, ss));
        }
    }

    /**
     * Publishes the slot {@link #claim} returned. Producer only. A release store, not a volatile
     * one: the slot's and the arena's writes are still seen before the new {@code tail}, but the
     * serving thread does not wait for its stores to drain (a volatile store's fence would make it
     * wait for every cache line of the copy), and the consumer, which polls, sees it a little
     * later.
     */
    void publish() {
        TAIL.setRelease(this, tail + 1);
    }

    private static final VarHandle TAIL;
    private static final VarHandle SLOTS;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            TAIL = lookup.findVarHandle(CaptureRingProducer.class, "tail", long.class);
            SLOTS = lookup.findVarHandle(CaptureRingProducer.class, "slots", Slot[].class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * The tensors of the slot being filled: the one {@link #claim} returned, until {@link
     * #publish}. Producer only.
     */
    @Override
    public StagedTensors current() {
        Slot[] ss = slots;
        return ss[(int) tail & (ss.length - 1)];
    }

    /** How many captures have been published: {@link AgentCounters#capturesDeferred}'s share. */
    long handedOver() {
        return tail;
    }

    /** How many captures the ring holds at most now. */
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
        if (h == tail) {
            return null;
        }
        // read after tail, with acquire: the slots the producer filled, or grown from them
        Slot[] ss = (Slot[]) SLOTS.getAcquire(this);
        return ss[(int) h & (ss.length - 1)];
    }

    /** Frees the slot {@link #peek} returned, and its room in the arena. Consumer only. */
    void release(Slot s) {
        arena.free(s.arenaEnd); // the slot itself is left as it is: its producer clears it
        head = head + 1;
    }
}

/*
 * The fields of a capture ring, laid out so that what the consumer writes (the object header's lock
 * word, taken for every round, and head, written for every capture it frees) is on cache lines of
 * its own: else each of those writes takes away the line of the fields the serving thread reads at
 * its next capture (tail, slots, the one at a time look at head), and that read waits for the line
 * to come back from the other core. A superclass's fields come before its subclass's, so the
 * padding classes keep the order; 128 bytes, since a core may fetch lines in pairs.
 */

/**
 * Padding after the object header (the lock word): its first field fills the header's last 4 bytes.
 */
abstract class CaptureRingPadAfterHeader {
    int pad00;
    long pad01, pad02, pad03, pad04, pad05, pad06, pad07, pad08;
    long pad09, pad10, pad11, pad12, pad13, pad14, pad15, pad16;
}

/**
 * What the producer writes, and the consumer reads; and what nobody writes after the constructor
 * (set there once: the ring reaches the consumer through the summary thread's volatile list).
 */
abstract class CaptureRingProducer extends CaptureRingPadAfterHeader {
    /** When a ring grown for a burst is halved again; the most found waiting is what it sees. */
    ShrinkWindow window;

    /** The most slots the ring grows to. */
    int maxSlots;

    /** Where the slots' tensors are copied. */
    StageArena arena;

    /** The serving thread that fills the ring; the summary thread forgets it once it has ended. */
    Thread owner;

    /** The next slot the producer fills; slots before it are published. */
    volatile long tail;

    /**
     * The slots, a power of two of them: replaced by the producer only, shrunk while none waits and
     * grown with every waiting slot at its place (see {@code CaptureRing.grow}); read by the
     * consumer only after it has seen {@code tail} past {@code head}.
     */
    CaptureRing.Slot[] slots;

    /** The producer's last look at {@code head}: one volatile read per fill of the ring. */
    long headSeen;
}

abstract class CaptureRingPadBeforeHead extends CaptureRingProducer {
    long pad17, pad18, pad19, pad20, pad21, pad22, pad23, pad24;
    long pad25, pad26, pad27, pad28, pad29, pad30, pad31, pad32;
}

/** What the consumer writes. */
abstract class CaptureRingConsumer extends CaptureRingPadBeforeHead {
    /** The next slot the consumer takes; slots before it are free again. */
    volatile long head;
}

/** Padding after {@code head}: {@link CaptureRing} declares no fields of its own. */
abstract class CaptureRingPadAfterHead extends CaptureRingConsumer {
    long pad33, pad34, pad35, pad36, pad37, pad38, pad39, pad40;
    long pad41, pad42, pad43, pad44, pad45, pad46, pad47, pad48;
}
