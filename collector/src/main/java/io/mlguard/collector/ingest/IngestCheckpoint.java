package io.mlguard.collector.ingest;

/**
 * Where the effects of ingested records are made durable together with the queue position. All
 * calls come from the ingest thread, between records, so the state it saves is exactly the state
 * after the last record it was told about.
 */
public interface IngestCheckpoint {
    /** A checkpoint that keeps nothing: every start reads the queue from its beginning. */
    IngestCheckpoint NONE =
            new IngestCheckpoint() {
                @Override
                public long committedIndex() {
                    return -1;
                }

                @Override
                public void recordDone(long index) {}

                @Override
                public void caughtUp() {}

                @Override
                public void close() {}
            };

    /** The queue index of the last record whose effects are stored, or -1 for none. */
    long committedIndex();

    /** The record at {@code index} has been handled; may commit (batched). */
    void recordDone(long index);

    /** The queue had nothing more to read: a good moment to commit what is pending. */
    void caughtUp();

    /** Commits what is pending; the ingest thread is about to stop. */
    void close();
}
