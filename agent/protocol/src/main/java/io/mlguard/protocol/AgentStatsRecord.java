package io.mlguard.protocol;

import net.openhft.chronicle.bytes.BytesIn;
import net.openhft.chronicle.bytes.BytesOut;

/**
 * The agent's own counters, written to the data queue every few seconds so that the collector can
 * tell a quiet server from an agent that drops or fails. Counters are totals since the agent
 * started (monotonic within one {@link #agentId}); a reader keeps the latest per agent.
 *
 * <p>Body layout after the {@link Records} envelope, version 1: {@code i64 timestampMillis, str
 * agentId, i64 uptimeMillis, i64 inferencesRecorded, i64 modelLoadsRecorded, i64 recordsDropped,
 * i64 internalErrors, i64 inferencesRefused, u8 capturePaused, i64 capturePauses, i64
 * captureSamples, i64 captureSampleNanos}, then, each absent from older agents' records, {@code i64
 * recordsWrittenInline, i64 inferencesNotSampled}; a reader ignores what follows the fields it
 * knows. A reader that does not know this type skips it through {@link
 * RecordReader.Handler#agentStats}'s default.
 */
public final class AgentStatsRecord {
    public long timestampMillis;
    public String agentId;
    public long uptimeMillis;
    public long inferencesRecorded;
    public long modelLoadsRecorded;
    public long recordsDropped;
    public long internalErrors;
    public long inferencesRefused;

    /** Whether capture is paused right now (the disk guard, or a queue that stopped writing). */
    public boolean capturePaused;

    /** How many times the disk guard has paused capture. */
    public long capturePauses;

    /**
     * Capture time (summaries and the queue write, on the inference thread) is measured on a sample
     * of inferences, to keep clock reads off most calls: how many were measured, and the
     * nanoseconds they took in total. Their ratio is the mean cost of a capture.
     */
    public long captureSamples;

    public long captureSampleNanos;

    /**
     * Inference records a serving thread wrote itself because its ring to the agent's writer thread
     * was full ({@code asyncWrite=true}; always 0 otherwise). Optional: a record from an agent that
     * predates it ends before it and reads as 0.
     */
    public long recordsWrittenInline;

    /**
     * Inferences run but not recorded because the collector asked for one in N ({@code control
     * sample}). The last field, optional like the one before it: a record from an agent that
     * predates it ends before it and reads as 0, and a reader that predates it ignores it.
     */
    public long inferencesNotSampled;

    public void writeTo(BytesOut<?> out) {
        Records.writeHeader(out, RecordType.AGENT_STATS);
        out.writeLong(timestampMillis);
        Records.writeString(out, agentId);
        out.writeLong(uptimeMillis);
        out.writeLong(inferencesRecorded);
        out.writeLong(modelLoadsRecorded);
        out.writeLong(recordsDropped);
        out.writeLong(internalErrors);
        out.writeLong(inferencesRefused);
        out.writeUnsignedByte(capturePaused ? 1 : 0);
        out.writeLong(capturePauses);
        out.writeLong(captureSamples);
        out.writeLong(captureSampleNanos);
        out.writeLong(recordsWrittenInline);
        out.writeLong(inferencesNotSampled);
    }

    void readBody(BytesIn<?> in) {
        timestampMillis = in.readLong();
        agentId = Records.readString(in, "agentId");
        uptimeMillis = in.readLong();
        inferencesRecorded = counter(in, "inferencesRecorded");
        modelLoadsRecorded = counter(in, "modelLoadsRecorded");
        recordsDropped = counter(in, "recordsDropped");
        internalErrors = counter(in, "internalErrors");
        inferencesRefused = counter(in, "inferencesRefused");
        int paused = in.readUnsignedByte();
        if (paused > 1) {
            throw new RecordFormatException("capturePaused is " + paused + ", not 0 or 1");
        }
        capturePaused = paused == 1;
        capturePauses = counter(in, "capturePauses");
        captureSamples = counter(in, "captureSamples");
        captureSampleNanos = counter(in, "captureSampleNanos");
        recordsWrittenInline = optionalCounter(in, "recordsWrittenInline");
        inferencesNotSampled = optionalCounter(in, "inferencesNotSampled");
    }

    /**
     * A counter added to the layout after its first agents: absent from their records, whose
     * document ends before it, and read as 0 there. Each later field is read this way, in order.
     */
    private static long optionalCounter(BytesIn<?> in, String field) {
        return in.readRemaining() == 0 ? 0 : counter(in, field);
    }

    private static long counter(BytesIn<?> in, String field) {
        long v = in.readLong();
        if (v < 0) {
            throw new RecordFormatException(field + " is negative: " + v);
        }
        return v;
    }

    @Override
    public String toString() {
        return "AgentStatsRecord{agent="
                + agentId
                + ", inferences="
                + inferencesRecorded
                + ", modelLoads="
                + modelLoadsRecorded
                + ", dropped="
                + recordsDropped
                + ", errors="
                + internalErrors
                + ", refused="
                + inferencesRefused
                + ", paused="
                + capturePaused
                + "}";
    }
}
