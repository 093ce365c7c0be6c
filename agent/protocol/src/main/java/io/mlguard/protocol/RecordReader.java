package io.mlguard.protocol;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Reads the next record from a Chronicle tailer and hands it to a {@link Handler}. A record that
 * cannot be decoded goes to {@link Handler#malformed} with its index and the reason; the tailer
 * moves past it either way, so one bad record never stops a reader.
 */
public final class RecordReader {

    /** What a reader does with each record. */
    public interface Handler {
        void inference(InferenceRecord record, long index);

        void modelLoad(ModelLoadRecord record, long index);

        void malformed(RecordFormatException error, long index);

        /** A control command; data queues carry none, so readers of them need not care. */
        default void control(ControlRecord record, long index) {}

        /**
         * The agent's periodic counters; readers that have no use for them (or were written before
         * they existed) skip them.
         */
        default void agentStats(AgentStatsRecord record, long index) {}
    }

    private RecordReader() {}

    /**
     * Reads one document if there is one.
     *
     * @return {@code false} when the tailer is at the end of the queue
     */
    public static boolean readOne(ExcerptTailer tailer, Handler handler) {
        return readOne(tailer, handler, null);
    }

    /**
     * As {@link #readOne(ExcerptTailer, Handler)}, decoding an inference record into {@code reuse}
     * (see {@link Records#read(net.openhft.chronicle.bytes.BytesIn, InferenceRecord)}): the handler
     * must not keep the record it is given.
     */
    public static boolean readOne(ExcerptTailer tailer, Handler handler, InferenceRecord reuse) {
        try (DocumentContext dc = tailer.readingDocument()) {
            if (!dc.isPresent()) {
                return false;
            }
            if (dc.isMetaData()) {
                return true;
            }
            long index = dc.index();
            Bytes<?> bytes = dc.wire().bytes();
            Object record;
            try {
                record = Records.read(bytes, reuse);
            } catch (RecordFormatException e) {
                handler.malformed(e, index);
                return true;
            }
            if (record instanceof InferenceRecord) {
                handler.inference((InferenceRecord) record, index);
            } else if (record instanceof ModelLoadRecord) {
                handler.modelLoad((ModelLoadRecord) record, index);
            } else if (record instanceof AgentStatsRecord) {
                handler.agentStats((AgentStatsRecord) record, index);
            } else {
                handler.control((ControlRecord) record, index);
            }
            return true;
        }
    }
}
