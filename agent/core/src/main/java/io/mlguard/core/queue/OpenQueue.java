package io.mlguard.core.queue;

import io.mlguard.protocol.AgentStatsRecord;
import io.mlguard.protocol.InferenceRecord;
import io.mlguard.protocol.ModelLoadRecord;
import java.io.File;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * The open Chronicle queue and its appenders (one per writing thread, Chronicle's rule). Class
 * loader: agent. The only class of the writer that names Chronicle's types: the JVM loads the types
 * a class uses when it verifies it, so {@link QueueWriter}, which is created at start, would
 * otherwise load some 80 Chronicle classes before the queue is even opened.
 */
final class OpenQueue implements AutoCloseable {
    private final ChronicleQueue queue;
    private final ThreadLocal<ExcerptAppender> appenders;

    OpenQueue(File dir) {
        queue = ChronicleQueue.singleBuilder(dir).rollCycle(RollCycles.FAST_HOURLY).build();
        appenders = ThreadLocal.withInitial(queue::createAppender);
    }

    /** Appends one record as a document; returns the bytes written. */
    long append(InferenceRecord record) {
        try (DocumentContext dc = appenders.get().writingDocument()) {
            Bytes<?> b = dc.wire().bytes();
            // Chronicle checks the calling thread on every field written (two volatile reads and a
            // currentThread() each, some 100 per record); this appender and its bytes belong to
            // this thread alone (one per thread, above), so the check can never fail. Set on each
            // append: the appender moves to new bytes when the queue rolls to a new cycle.
            b.singleThreadedCheckDisabled(true);
            long start = b.writePosition();
            record.writeTo(b);
            return b.writePosition() - start;
        }
    }

    void append(ModelLoadRecord record) {
        try (DocumentContext dc = appenders.get().writingDocument()) {
            record.writeTo(dc.wire().bytes());
        }
    }

    void append(AgentStatsRecord record) {
        try (DocumentContext dc = appenders.get().writingDocument()) {
            record.writeTo(dc.wire().bytes());
        }
    }

    /** Appends a record kept before the queue opened: serialised bytes or a model-load record. */
    void appendKept(Object record) {
        try (DocumentContext dc = appenders.get().writingDocument()) {
            if (record instanceof byte[]) {
                dc.wire().bytes().write((byte[]) record);
            } else {
                ((ModelLoadRecord) record).writeTo(dc.wire().bytes());
            }
        }
    }

    /** An inference record serialised as it will be written, to keep until the queue opens. */
    static byte[] serialise(InferenceRecord record) {
        Bytes<?> b = Bytes.allocateElasticOnHeap(1024);
        record.writeTo(b);
        return b.toByteArray();
    }

    @Override
    public void close() {
        queue.close();
    }
}
