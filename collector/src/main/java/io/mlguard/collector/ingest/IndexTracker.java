package io.mlguard.collector.ingest;

import io.mlguard.protocol.AgentStatsRecord;
import io.mlguard.protocol.InferenceRecord;
import io.mlguard.protocol.ModelLoadRecord;
import io.mlguard.protocol.RecordFormatException;
import io.mlguard.protocol.RecordReader;

/**
 * Passes records on and remembers the queue index of the last one (malformed ones included), so the
 * ingest loop can tell the checkpoint exactly which record it has just handled. Metadata documents
 * reach no handler and have no index of their own: they are never checkpointed.
 */
final class IndexTracker implements RecordReader.Handler {
    private final RecordReader.Handler next;
    private long pending = -1;
    private long last = -1;

    IndexTracker(RecordReader.Handler next) {
        this.next = next;
    }

    @Override
    public void inference(InferenceRecord record, long index) {
        next.inference(record, index);
        done(index);
    }

    @Override
    public void modelLoad(ModelLoadRecord record, long index) {
        next.modelLoad(record, index);
        done(index);
    }

    @Override
    public void agentStats(AgentStatsRecord record, long index) {
        next.agentStats(record, index);
        done(index);
    }

    @Override
    public void malformed(RecordFormatException error, long index) {
        next.malformed(error, index);
        done(index);
    }

    private void done(long index) {
        pending = index;
        last = index;
    }

    /** The index handled since the last call, or -1 if none (a metadata document). */
    long take() {
        long i = pending;
        pending = -1;
        return i;
    }

    /** The index of the last record handled in this run, or -1. */
    long last() {
        return last;
    }
}
