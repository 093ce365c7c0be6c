package io.mlguard.core.queue;

import io.mlguard.protocol.AgentStatsRecord;
import io.mlguard.protocol.InferenceRecord;
import io.mlguard.protocol.ModelLoadRecord;
import java.io.File;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * The open Chronicle queue and its appenders (one per writing thread, Chronicle's rule). Class
 * loader: agent. The only class of the writer that names Chronicle's types: the JVM loads the types
 * a class uses when it verifies it, so {@link QueueWriter}, which is created at start, would
 * otherwise load some 80 Chronicle classes before the queue is even opened.
 */
final class OpenQueue implements AutoCloseable {
    private final ChronicleQueue queue;

    /** Each writing thread's appender and record buffer: one lookup per record. */
    private final ThreadLocal<ThreadWriter> writers;

    private QueuePretoucher pretoucher;

    /**
     * A thread's appender (Chronicle's rule: one per thread) and the buffer its record is
     * serialised into before it is copied into the queue.
     */
    private static final class ThreadWriter {
        final ExcerptAppender appender;
        final Bytes<byte[]> scratch = Bytes.allocateElasticOnHeap(1024);

        ThreadWriter(ChronicleQueue queue) {
            appender = queue.createAppender();
            scratch.singleThreadedCheckDisabled(true); // one per thread
        }
    }

    OpenQueue(File dir) {
        queue = ChronicleQueue.singleBuilder(dir).rollCycle(RollCycles.FAST_HOURLY).build();
        writers = ThreadLocal.withInitial(() -> new ThreadWriter(queue));
    }

    QueuePretoucher pretoucher() {
        return pretoucher;
    }

    /** Starts touching the pages ahead of the writers (see {@link QueuePretoucher}). */
    void startPretouch(DiskGuard disk) {
        if (queue instanceof SingleChronicleQueue) {
            pretoucher = new QueuePretoucher((SingleChronicleQueue) queue, disk);
            pretoucher.start();
        }
    }

    /**
     * Appends one record as a document; returns the bytes written. The record is first serialised
     * into this thread's heap buffer and then copied into the queue in one piece: its hundred or so
     * small writes cost less there than on the queue's mapped bytes, which check every write's
     * offset against the mapped chunk and that they are not closed.
     */
    long append(InferenceRecord record) {
        ThreadWriter w = writers.get();
        Bytes<byte[]> s = w.scratch;
        s.clear();
        record.writeTo(s);
        try (DocumentContext dc = w.appender.writingDocument()) {
            Bytes<?> b = dc.wire().bytes();
            // Chronicle checks the calling thread on every write (two volatile reads and a
            // currentThread() each); this appender and its bytes belong to this thread alone (one
            // per thread, above), so the check can never fail. Set on each append: the appender
            // moves to new bytes when the queue rolls to a new cycle.
            b.singleThreadedCheckDisabled(true);
            long size = s.readRemaining(); // taken before the copy, whatever it does to s
            b.write(s);
            return size;
        }
    }

    void append(ModelLoadRecord record) {
        try (DocumentContext dc = writers.get().appender.writingDocument()) {
            record.writeTo(dc.wire().bytes());
        }
    }

    void append(AgentStatsRecord record) {
        try (DocumentContext dc = writers.get().appender.writingDocument()) {
            record.writeTo(dc.wire().bytes());
        }
    }

    /** Appends a record kept before the queue opened: serialised bytes or a model-load record. */
    void appendKept(Object record) {
        try (DocumentContext dc = writers.get().appender.writingDocument()) {
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
        if (pretoucher != null) {
            pretoucher.stop();
        }
        queue.close();
    }
}
