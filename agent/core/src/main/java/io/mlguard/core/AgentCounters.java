package io.mlguard.core;

import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The agent's own counters: what it wrote, what it dropped, what went wrong inside it. Class
 * loader: agent. LongAdder keeps contended increments off one cache line.
 */
public final class AgentCounters {
    public final LongAdder inferencesRecorded = new LongAdder();
    public final LongAdder modelLoadsRecorded = new LongAdder();
    public final LongAdder recordsDropped = new LongAdder();
    public final LongAdder internalErrors = new LongAdder();
    public final LongAdder inferencesRefused = new LongAdder();

    /**
     * Inferences left unrecorded by a sampling command of the collector's ({@code
     * ControlRecord.Action.SAMPLE}): run and counted, not summarised or written.
     */
    public final LongAdder inferencesNotSampled = new LongAdder();

    /**
     * Inference records a serving thread wrote itself because its ring to the queue's writer thread
     * was full (or that thread had stopped): each one cost that inference the queue write. With
     * {@code deferSummaries}, captures a serving thread summarised and wrote itself because its
     * ring to the summary thread was full.
     */
    public final LongAdder recordsWrittenInline = new LongAdder();

    /**
     * Inferences whose tensors were copied and handed to the summary thread. The capture rings
     * count them (a ring's hand-overs are its position), so that a capture makes no atomic update
     * of its own: an atomic add waits for every store the serving thread has pending.
     */
    public final Counted capturesDeferred = new Counted();

    /** Inferences whose capture time was measured, and that time in total (a sample). */
    public final LongAdder captureSamples = new LongAdder();

    public final LongAdder captureSampleNanos = new LongAdder();

    /** A count kept elsewhere and summed when read: 0 until its source is set. */
    public static final class Counted {
        private volatile LongSupplier source;

        /** Where the count is read from from now on. */
        void countFrom(LongSupplier source) {
            this.source = source;
        }

        public long sum() {
            LongSupplier s = source;
            return s == null ? 0 : s.getAsLong();
        }
    }

    @Override
    public String toString() {
        return "inferences="
                + inferencesRecorded.sum()
                + ", modelLoads="
                + modelLoadsRecorded.sum()
                + ", dropped="
                + recordsDropped.sum()
                + ", errors="
                + internalErrors.sum()
                + ", refused="
                + inferencesRefused.sum()
                + ", notSampled="
                + inferencesNotSampled.sum()
                + ", writtenInline="
                + recordsWrittenInline.sum()
                + ", deferred="
                + capturesDeferred.sum();
    }
}
