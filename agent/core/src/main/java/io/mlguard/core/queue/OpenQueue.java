package io.mlguard.core.queue;

import io.mlguard.protocol.AgentStatsRecord;
import io.mlguard.protocol.InferenceRecord;
import io.mlguard.protocol.ModelLoadRecord;
import io.mlguard.protocol.RecordEncoder;
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

    /** Writes the serving threads' rings into the queue, or {@code null}: they write it. */
    private RingDrainer drainer;

    /** What {@link #append(InferenceRecord)} returns for a record handed to the drainer. */
    static final long HANDED_OFF = -1;

    /** Each serving thread's ring: some 100 MNIST records, 64 KiB of heap per thread. */
    static final int RING_BYTES = 64 * 1024;

    /**
     * A thread's appender (Chronicle's rule: one per thread) and the array its record is serialised
     * into before it is copied into the queue.
     */
    private static final class ThreadWriter {
        final ExcerptAppender appender;

        /** An MNIST record is some 600 bytes; larger ones grow the array once. */
        final RecordEncoder encoder = new RecordEncoder(2048);

        /** This thread's records on their way to the drainer; made at its first inference. */
        RecordRing ring;

        ThreadWriter(ChronicleQueue queue) {
            appender = queue.createAppender();
        }
    }

    OpenQueue(File dir) {
        this(dir, 0);
    }

    /** With Chronicle's mapped chunks of {@code blockSize} bytes (its default: 0), for tests. */
    OpenQueue(File dir, long blockSize) {
        var builder = ChronicleQueue.singleBuilder(dir).rollCycle(RollCycles.FAST_HOURLY);
        if (blockSize > 0) {
            builder.blockSize(blockSize);
        }
        queue = builder.build();
        writers = ThreadLocal.withInitial(() -> new ThreadWriter(queue));
    }

    QueuePretoucher pretoucher() {
        return pretoucher;
    }

    /**
     * Starts the thread that writes the serving threads' records: from now on {@link
     * #append(InferenceRecord)} hands them over instead of writing them.
     */
    void startDrainer(QueueWriter sink) {
        drainer = new RingDrainer(this, sink);
        drainer.start();
    }

    RingDrainer drainer() {
        return drainer;
    }

    /**
     * A pretoucher of this queue's file that is not started, advising every chunk it touches
     * whatever the disk's read-ahead; for tests, which call {@link QueuePretoucher#touchAhead}.
     */
    QueuePretoucher advisingPretoucher(DiskGuard disk) {
        return new QueuePretoucher((SingleChronicleQueue) queue, disk, true);
    }

    /** Starts touching the pages ahead of the writers (see {@link QueuePretoucher}). */
    void startPretouch(DiskGuard disk) {
        if (queue instanceof SingleChronicleQueue) {
            pretoucher = new QueuePretoucher((SingleChronicleQueue) queue, disk);
            pretoucher.start();
        }
    }

    /**
     * Appends one inference record as a document, or hands it to the drainer that does; returns the
     * bytes written, or {@link #HANDED_OFF}. The record is first serialised into this thread's
     * array with plain stores ({@link RecordEncoder}: the bytes {@code writeTo} writes) and then
     * copied in one piece, into the queue or into this thread's ring: its hundred or so small
     * writes cost less there than on Chronicle's bytes, which check every write's offset and that
     * they are not closed.
     *
     * <p>When the ring is full, this thread writes its oldest waiting records itself until this one
     * fits; if the drainer has stopped (or the record is larger than a ring), all of them and then
     * this one. Either way its records stay in order and none is lost; the sink counts the records
     * written from the ring, the caller this one.
     */
    long append(InferenceRecord record, QueueWriter sink) {
        return append(record, sink, true);
    }

    /**
     * As {@link #append(InferenceRecord, QueueWriter)}; {@code handOff} false writes the record
     * here (after this thread's records still waiting for the drainer, if any).
     */
    long append(InferenceRecord record, QueueWriter sink, boolean handOff) {
        ThreadWriter w = writers.get();
        RecordEncoder e = w.encoder;
        int len = e.encode(record);
        byte[] s = e.buffer();
        RingDrainer d = drainer;
        if (d != null && !handOff) {
            if (w.ring != null) {
                drain(w.ring, sink, Integer.MAX_VALUE);
            }
        } else if (d != null) {
            RecordRing ring = w.ring;
            if (ring == null) {
                // once per serving thread
                ring = w.ring = d.register(new RecordRing(RING_BYTES, Thread.currentThread()));
            }
            if (d.running()) {
                if (ring.offer(s, len)) {
                    d.offered();
                    return HANDED_OFF;
                }
                // full (the writer thread is behind): write the oldest records here until this one
                // fits, so it still follows them; one or two records, not the whole ring
                sink.wroteInline();
                drain(ring, sink, RecordRing.room(len));
                if (ring.offer(s, len)) {
                    d.offered();
                    return HANDED_OFF;
                }
            }
            drain(ring, sink, Integer.MAX_VALUE);
        }
        return appendNow(w.appender, s, len);
    }

    private static long appendNow(ExcerptAppender appender, byte[] s, int len) {
        try (DocumentContext dc = appender.writingDocument()) {
            Bytes<?> b = dc.wire().bytes();
            // Chronicle checks the calling thread on every write (two volatile reads and a
            // currentThread() each); this appender and its bytes belong to this thread alone (one
            // per thread, above), so the check can never fail. Set on each append: the appender
            // moves to new bytes when the queue rolls to a new cycle.
            b.singleThreadedCheckDisabled(true);
            // one bulk copy, no allocation: a document never passes the end of its mapped chunk's
            // overlap with the next (Chronicle's writeLimit for it), so the copy is never split
            try {
                b.write(s, 0, len);
            } catch (Throwable t) {
                dc.rollbackOnClose(); // no empty or partial document left behind
                throw t;
            }
            return len;
        }
    }

    /**
     * Writes the records waiting in {@code ring}, oldest first, with the calling thread's appender,
     * and tells {@code sink} of each; returns how many it took. A record the sink no longer accepts
     * (capture paused or stopped) or that fails to write is dropped and counted, as on the serving
     * thread.
     */
    int drain(RecordRing ring, QueueWriter sink) {
        return drain(ring, sink, Integer.MAX_VALUE);
    }

    /**
     * As {@link #drain(RecordRing, QueueWriter)}, until {@code room} bytes of the ring are free.
     */
    private int drain(RecordRing ring, QueueWriter sink, long room) {
        if (ring.isEmpty()) {
            return 0;
        }
        ExcerptAppender appender = writers.get().appender;
        int n = 0;
        synchronized (ring) {
            int len;
            while (ring.free() < room && (len = ring.nextLength()) >= 0) {
                n++;
                if (!sink.accepting()) {
                    ring.take(null);
                    sink.dropped();
                    continue;
                }
                boolean taken = false;
                try (DocumentContext dc = appender.writingDocument()) {
                    Bytes<?> b = dc.wire().bytes();
                    b.singleThreadedCheckDisabled(true); // this thread's appender, see appendNow
                    ring.take(b);
                    taken = true;
                } catch (Throwable t) {
                    if (!taken) {
                        ring.take(null);
                    }
                    sink.failed(t);
                    continue;
                }
                sink.written(len);
            }
        }
        return n;
    }

    /**
     * Writes every ring's waiting records on the calling thread: at close and at exit, after the
     * drainer has stopped or while it may still run (the rings' monitors keep the two apart).
     */
    void drainAll() {
        RingDrainer d = drainer;
        if (d != null) {
            d.drainAll();
        }
    }

    /** Stops the drainer thread; records offered later are written by their threads. */
    void stopDrainer() {
        RingDrainer d = drainer;
        if (d != null) {
            d.stop();
        }
    }

    /** Writes the calling thread's records waiting for the drainer, now. */
    void drainOwn(QueueWriter sink) {
        RecordRing ring = writers.get().ring;
        if (ring != null) {
            drain(ring, sink, Integer.MAX_VALUE);
        }
    }

    /** Writes this thread's waiting records first, so that its records stay in order. */
    private ThreadWriter inOrder(QueueWriter sink) {
        ThreadWriter w = writers.get();
        if (w.ring != null) {
            drain(w.ring, sink, Integer.MAX_VALUE);
        }
        return w;
    }

    void append(ModelLoadRecord record, QueueWriter sink) {
        appendCold(record, sink);
    }

    void append(AgentStatsRecord record, QueueWriter sink) {
        appendCold(record, sink);
    }

    /** Appends a record kept before the queue opened: serialised bytes or a model-load record. */
    void appendKept(Object record, QueueWriter sink) {
        appendCold(record, sink);
    }

    /**
     * Appends a record off the inference path (serialised bytes, a model-load or a stats record) as
     * one document; a record that fails halfway leaves no partial document behind.
     */
    private void appendCold(Object record, QueueWriter sink) {
        try (DocumentContext dc = inOrder(sink).appender.writingDocument()) {
            try {
                Bytes<?> out = dc.wire().bytes();
                if (record instanceof byte[]) {
                    out.write((byte[]) record);
                } else if (record instanceof ModelLoadRecord) {
                    ((ModelLoadRecord) record).writeTo(out);
                } else {
                    ((AgentStatsRecord) record).writeTo(out);
                }
            } catch (Throwable t) {
                dc.rollbackOnClose();
                throw t;
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
        stopDrainer();
        if (pretoucher != null) {
            pretoucher.stop();
        }
        queue.close();
    }
}
