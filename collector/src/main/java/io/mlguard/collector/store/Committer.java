package io.mlguard.collector.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's own thread: writes the snapshots the ingest thread hands it, one at a time and in
 * order, so the ingest thread never waits for H2. The hand-off holds one snapshot: while a commit
 * is running, {@link #offer} refuses the next one and the ingest thread simply keeps its changes
 * pending for a later batch (nothing queues up, memory stays bounded).
 */
final class Committer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Committer.class);

    /** What happened to one snapshot: its write time and the error, null if it committed. */
    interface Outcome {
        void done(CheckpointSnapshot s, long writeNanos, Exception error);
    }

    private final CheckpointWriter writer;
    private final Outcome outcome;
    private final Thread thread;
    private final Object lock = new Object();
    private CheckpointSnapshot slot; // guarded by lock
    private volatile boolean busy; // a snapshot is in the slot or being written
    private boolean stopping; // guarded by lock

    Committer(CheckpointWriter writer, Outcome outcome) {
        this.writer = writer;
        this.outcome = outcome;
        this.thread = new Thread(this::run, "mlguard-commit");
        thread.setDaemon(true); // the final commit is made by close(), never left to exit
        thread.start();
    }

    /** Hands {@code s} over unless a commit is still running; returns whether it was taken. */
    boolean offer(CheckpointSnapshot s) {
        if (busy) {
            return false;
        }
        synchronized (lock) {
            if (busy || stopping) {
                return false;
            }
            slot = s;
            busy = true;
            lock.notifyAll();
            return true;
        }
    }

    /** Whether no commit is running, so {@link #offer} would take a snapshot. */
    boolean idle() {
        return !busy;
    }

    /** Waits until the commit in hand (if any) has finished. */
    void awaitIdle() {
        synchronized (lock) {
            boolean interrupted = false;
            while (busy) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    interrupted = true; // the commit in hand must finish: it cannot be abandoned
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        while (true) {
            CheckpointSnapshot s;
            synchronized (lock) {
                while (slot == null && !stopping) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        // only close() stops this thread
                    }
                }
                if (slot == null) {
                    return;
                }
                s = slot;
            }
            write(s, outcome::done);
            synchronized (lock) {
                slot = null;
                busy = false;
                lock.notifyAll();
            }
        }
    }

    private void write(CheckpointSnapshot s, Outcome o) {
        long start = System.nanoTime();
        Exception error = null;
        try {
            writer.write(s);
        } catch (Exception e) {
            error = e;
        }
        try {
            o.done(s, System.nanoTime() - start, error);
        } catch (RuntimeException e) {
            LOG.warn("commit bookkeeping failed: {}", e.toString());
        }
    }

    /** Finishes the commit in hand, then stops the thread. */
    @Override
    public void close() {
        awaitIdle();
        synchronized (lock) {
            stopping = true;
            lock.notifyAll();
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Writes {@code s} on the calling thread (no commit may be running): for the final commit. */
    void writeNow(CheckpointSnapshot s) {
        awaitIdle();
        write(s, outcome::done);
    }
}
