package io.mlguard.core.queue;

import io.mlguard.core.AgentCounters;
import io.mlguard.core.AgentLog;
import io.mlguard.protocol.AgentStatsRecord;
import io.mlguard.protocol.InferenceRecord;
import io.mlguard.protocol.ModelLoadRecord;
import java.io.File;
import java.util.ArrayList;
import java.util.List;

/**
 * Appends records to the host's Chronicle Queue. Class loader: agent. One appender per writing
 * thread (Chronicle's rule); each record is one document written field by field, so the data
 * carries no class names and an unshaded collector reads what the relocated agent wrote.
 *
 * <p>The queue is opened on a background thread, because opening Chronicle takes about half a
 * second that the application's start should not wait for. Until it is open, records are kept in
 * memory (up to a bound, beyond which they are dropped and counted) and written once it opens.
 *
 * <p>Once the queue is open, an inference record is serialised on the serving thread into that
 * thread's ring and written to the queue by one writer thread ({@link RingDrainer}), so the queue
 * write is off the inference's path; a full ring makes the serving thread write its records itself,
 * in order. That is {@code asyncWrite=true}; by default every write is on the serving thread.
 *
 * <p>Failures never reach the caller: a record that cannot be written is dropped and counted, and
 * after repeated failures (an unwritable directory, a full disk) the writer stops trying, says so
 * once, and inference goes on.
 */
public final class QueueWriter implements AutoCloseable {
    private static final int MAX_CONSECUTIVE_FAILURES = 100;
    private static final int MAX_PENDING = 4096;

    private final File dir;
    private final AgentCounters counters;

    /** Records written before the queue opened: serialised inferences or model-load records. */
    private final List<Object> pending = new ArrayList<>();

    private final Object openSignal = new Object();
    private boolean openRequested; // guarded by openSignal
    private volatile OpenQueue queue;

    /** Held while the queue opens: by the background thread or, at exit, the shutdown hook. */
    private final Object openLock = new Object();

    private volatile boolean disabled;
    private int consecutiveFailures;
    private final DiskGuard disk;

    /** Whether inference records are written by a writer thread rather than the serving thread. */
    private final boolean async;

    private QueueWriter(File dir, AgentCounters counters, long minFreeBytes, boolean async) {
        this.dir = dir;
        this.counters = counters;
        this.async = async;
        try {
            this.disk = new DiskGuard(dir.toPath(), minFreeBytes);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot read the free space of " + dir + ": " + e, e);
        }
    }

    /**
     * Checks the directory now (so a wrong setting is reported at start) and opens the queue in the
     * background.
     */
    public static QueueWriter open(
            File dir, AgentCounters counters, ClassLoader agentLoader, long minFreeBytes) {
        QueueWriter w = create(dir, counters, minFreeBytes);
        w.openInBackground(agentLoader);
        return w;
    }

    /**
     * Checks the directory now; the queue opens when {@link #openInBackground} is called. Records
     * written before it is open are kept in memory (up to a bound) and written once it is.
     */
    public static QueueWriter create(File dir, AgentCounters counters, long minFreeBytes) {
        return create(dir, counters, minFreeBytes, false);
    }

    /**
     * As {@link #create(File, AgentCounters, long)}; {@code async} false writes every record on the
     * thread that hands it over.
     */
    public static QueueWriter create(
            File dir, AgentCounters counters, long minFreeBytes, boolean async) {
        if (!dir.isDirectory() && !dir.mkdirs()) {
            throw new IllegalStateException("cannot create queue directory " + dir);
        }
        if (!dir.canWrite()) {
            throw new IllegalStateException("queue directory " + dir + " is not writable");
        }
        return new QueueWriter(dir, counters, minFreeBytes, async);
    }

    /** Opens the queue on a background thread, now. */
    public void openInBackground(ClassLoader agentLoader) {
        openInBackground(agentLoader, false);
    }

    /**
     * Opens the queue on a background thread when the first inference is written or {@link
     * #openSoon} is called, whichever comes first. At premain this keeps Chronicle's start (some
     * 500 classes and their compilation) out of the application's own start, which usually loads
     * its models but serves no inference yet; model-load records wait in memory meanwhile.
     */
    public void openWhenAsked(ClassLoader agentLoader) {
        openInBackground(agentLoader, true);
    }

    private void openInBackground(ClassLoader agentLoader, boolean whenAsked) {
        Thread t =
                new Thread(
                        new Runnable() { // not a lambda: this runs at the agent's start
                            @Override
                            public void run() {
                                if (!whenAsked || awaitOpenRequest()) {
                                    openNow();
                                }
                            }
                        },
                        "mlguard-queue-open");
        t.setDaemon(true);
        // Chronicle resolves some classes through the context loader while it opens a queue.
        t.setContextClassLoader(agentLoader);
        t.start();
    }

    /** False if interrupted: the JVM is going down. */
    private boolean awaitOpenRequest() {
        synchronized (openSignal) {
            while (!openRequested) {
                try {
                    openSignal.wait();
                } catch (InterruptedException e) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Asks the background thread of {@link #openWhenAsked} to open the queue now. */
    public void openSoon() {
        requestOpen();
    }

    private void requestOpen() {
        synchronized (openSignal) {
            if (!openRequested) {
                openRequested = true;
                openSignal.notifyAll();
            }
        }
    }

    /**
     * At JVM exit: if records still wait for the queue (a short-lived program can end before the
     * delayed open), opens it now and writes them, so none is lost; if the background thread is
     * opening it, waits for that to finish, so the queue's files are never left half made. If it is
     * open, writes the records still waiting in the serving threads' rings.
     */
    public void flushAtExit() {
        if (flush()) {
            return;
        }
        synchronized (pending) {
            if (queue != null || pending.isEmpty()) {
                return;
            }
        }
        requestOpen();
        openNow();
    }

    /**
     * Writes the records waiting in the serving threads' rings now, on the calling thread, rather
     * than when the writer thread next wakes; false if the queue is not open yet.
     */
    public boolean flush() {
        OpenQueue open = queue;
        if (open == null) {
            return false;
        }
        open.drainAll();
        return true;
    }

    private void openNow() {
        synchronized (openLock) {
            if (queue == null && !disabled) {
                openQueue();
            }
        }
    }

    private void openQueue() {
        try {
            OpenQueue q = new OpenQueue(dir);
            synchronized (pending) {
                for (Object r : pending) {
                    q.appendKept(r, this);
                }
                pending.clear();
                if (async) {
                    q.startDrainer(this);
                }
                queue = q;
            }
            q.startPretouch(disk);
            AgentLog.debug("queue open: " + dir + AgentLog.threadCpu());
            Thread checker =
                    new Thread(
                            () -> {
                                while (!disabled) {
                                    disk.check();
                                    try {
                                        Thread.sleep(1000);
                                    } catch (InterruptedException e) {
                                        return;
                                    }
                                }
                            },
                            "mlguard-disk-check");
            checker.setDaemon(true);
            checker.start();
        } catch (Throwable t) {
            disabled = true;
            AgentLog.info(
                    "cannot open the queue in "
                            + dir
                            + " ("
                            + t
                            + "); nothing is captured, the server keeps serving");
        }
    }

    /** The open queue's pretoucher, or {@code null}; for tests. */
    QueuePretoucher pretoucher() {
        OpenQueue q = queue;
        return q == null ? null : q.pretoucher();
    }

    /** The open queue's writer thread, or {@code null}; for tests. */
    RingDrainer drainer() {
        OpenQueue q = queue;
        return q == null ? null : q.drainer();
    }

    /** Whether the queue is open and writing. */
    public boolean isOpen() {
        return queue != null && !disabled;
    }

    public boolean write(InferenceRecord record) {
        return write(record, true);
    }

    /**
     * As {@link #write(InferenceRecord)}, but on the calling thread even when {@code asyncWrite} is
     * on: in the queue when it returns. For records of one serving thread that different threads
     * write (with {@code deferSummaries}, the summary thread or the serving thread itself): handed
     * to the writer thread through two threads' rings, they could reach the queue out of order.
     */
    public boolean writeNow(InferenceRecord record) {
        return write(record, false);
    }

    /**
     * Writes the calling thread's records still waiting for the writer thread ({@code asyncWrite}),
     * now: before records of this thread that another thread writes.
     */
    public void flushOwn() {
        OpenQueue open = queue;
        if (open != null) {
            open.drainOwn(this);
        }
    }

    private boolean write(InferenceRecord record, boolean handOff) {
        if (disabled || disk.paused()) {
            counters.recordsDropped.increment();
            return false;
        }
        if (queue == null) {
            requestOpen();
            return keep(OpenQueue.serialise(record), counters.inferencesRecorded);
        }
        long size;
        try {
            size = queue.append(record, this, handOff);
        } catch (Throwable t) {
            return failed(t);
        }
        if (size != OpenQueue.HANDED_OFF) {
            written(size);
        }
        return true;
    }

    /** Whether records are still to be written: capture neither stopped nor paused. */
    boolean accepting() {
        return !disabled && !disk.paused();
    }

    /** An inference record of {@code size} bytes was written (by its thread or the drainer). */
    void written(long size) {
        disk.spend(size + 64);
        consecutiveFailures = 0;
        counters.inferencesRecorded.increment();
    }

    /** A record handed to the drainer was dropped: capture stopped or paused meanwhile. */
    void dropped() {
        counters.recordsDropped.increment();
    }

    /** A serving thread wrote its records itself: its ring was full. */
    void wroteInline() {
        counters.recordsWrittenInline.increment();
    }

    public boolean write(ModelLoadRecord record) {
        if (disabled || disk.paused()) {
            counters.recordsDropped.increment();
            return false;
        }
        if (queue == null) {
            // kept as it is (each load has a record of its own): no Chronicle on the loading thread
            return keep(record, counters.modelLoadsRecorded);
        }
        try {
            queue.append(record, this);
        } catch (Throwable t) {
            return failed(t);
        }
        disk.spend(4096);
        consecutiveFailures = 0;
        counters.modelLoadsRecorded.increment();
        return true;
    }

    /**
     * Writes the agent's own counters; nothing is kept before the queue opens (the next report has
     * the totals anyway) and nothing is counted, so a report does not change what it reports.
     */
    public boolean write(AgentStatsRecord record) {
        if (disabled || disk.paused() || queue == null) {
            return false;
        }
        try {
            queue.append(record, this);
        } catch (Throwable t) {
            return failed(t);
        }
        disk.spend(256);
        return true;
    }

    /** Whether capture is paused: a disk almost full, or a queue that could not be written. */
    public boolean capturePaused() {
        return disabled || disk.paused();
    }

    /** How many times the disk guard has paused capture. */
    public long capturePauses() {
        return disk.pauses();
    }

    /** Keeps a record until the queue opens; false if the buffer is full. */
    private boolean keep(Object record, java.util.concurrent.atomic.LongAdder counter) {
        synchronized (pending) {
            if (queue != null) {
                // opened meanwhile: write it now, in order after the buffered ones
                queue.appendKept(record, this);
            } else if (pending.size() < MAX_PENDING) {
                pending.add(record);
            } else {
                counters.recordsDropped.increment();
                return false;
            }
        }
        counter.increment();
        return true;
    }

    boolean failed(Throwable t) {
        counters.recordsDropped.increment();
        AgentLog.once(
                "queue-write",
                "cannot write to the queue ("
                        + t
                        + "); records are dropped and counted, inference goes on");
        if (++consecutiveFailures >= MAX_CONSECUTIVE_FAILURES) {
            disabled = true;
            AgentLog.once(
                    "queue-disabled",
                    "stopped capturing after "
                            + MAX_CONSECUTIVE_FAILURES
                            + " failed writes; the server keeps serving");
        }
        return false;
    }

    public boolean isDisabled() {
        return disabled;
    }

    @Override
    public void close() {
        OpenQueue q = queue;
        if (q != null) {
            // the handed-over records first, while they are still accepted
            q.stopDrainer();
            q.drainAll();
        }
        disabled = true;
        if (q != null) {
            q.close();
        }
    }
}
