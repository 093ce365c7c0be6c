package io.mlguard.core.queue;

import io.mlguard.core.AgentLog;
import java.util.concurrent.locks.LockSupport;

/**
 * Writes the serving threads' records from their rings into the queue, on a daemon thread of its
 * own, so that the queue write (the document, its copy into the mapped file, the page faults) is
 * not on the inference's path. Class loader: agent.
 *
 * <p>It never spins on an idle server: after a round that found nothing it sleeps, twice as long
 * each time from {@link #MIN_IDLE_NANOS} to {@link #MAX_IDLE_NANOS}; after one that found a few
 * records, {@link #BUSY_PAUSE_NANOS}; after one that found many ({@link #BATCH}), none. While it
 * sleeps {@link #WAKE_NANOS} or longer, the first record offered wakes it, so a record waits at
 * most a few milliseconds, and a busy server pays no wake-up.
 */
final class RingDrainer implements Runnable {
    /** A round that wrote this many records goes again at once. */
    static final int BATCH = 16;

    static final long BUSY_PAUSE_NANOS = 200_000;
    static final long MIN_IDLE_NANOS = 1_000_000;
    static final long WAKE_NANOS = 4_000_000;
    static final long MAX_IDLE_NANOS = 100_000_000;

    private final OpenQueue queue;
    private final QueueWriter sink;
    private final Thread thread;

    /** Every registered ring; replaced whole under {@code this} (rings come with new threads). */
    private volatile RecordRing[] rings = new RecordRing[0];

    /** True while the thread sleeps long enough that a producer should wake it. */
    private volatile boolean sleeping;

    private volatile boolean stopped;

    RingDrainer(OpenQueue queue, QueueWriter sink) {
        this.queue = queue;
        this.sink = sink;
        this.thread = new Thread(this, "mlguard-queue-drain");
        thread.setDaemon(true);
        thread.setContextClassLoader(RingDrainer.class.getClassLoader());
    }

    void start() {
        thread.start();
    }

    synchronized RecordRing register(RecordRing ring) {
        RecordRing[] old = rings;
        RecordRing[] now = java.util.Arrays.copyOf(old, old.length + 1);
        now[old.length] = ring;
        rings = now;
        return ring;
    }

    /** Called by a producer after each offer: wakes the thread if it sleeps long. */
    void offered() {
        if (sleeping) {
            sleeping = false;
            LockSupport.unpark(thread);
        }
    }

    int ringCount() {
        return rings.length;
    }

    @Override
    public void run() {
        long pause = MIN_IDLE_NANOS;
        try {
            while (!stopped) {
                long drained = drainAll();
                pause = nextPause(pause, drained);
                if (pause == 0) {
                    continue;
                }
                if (drained == 0) {
                    forgetEndedThreads();
                }
                if (pause >= WAKE_NANOS) {
                    sleeping = true;
                    if (anyWaiting()) { // offered before it could see the flag
                        sleeping = false;
                        continue;
                    }
                }
                LockSupport.parkNanos(pause);
                sleeping = false;
            }
        } catch (Throwable t) {
            AgentLog.once(
                    "queue-drain",
                    "the queue's writer thread stopped ("
                            + t
                            + "); records are written on the serving threads");
        } finally {
            stopped = true;
        }
    }

    /** Whether the thread is still draining; once not, producers write on their own threads. */
    boolean running() {
        return !stopped;
    }

    /** One round over every ring; returns the records written or dropped. */
    long drainAll() {
        long n = 0;
        for (RecordRing r : rings) {
            n += queue.drain(r, sink);
        }
        return n;
    }

    /**
     * The pause after a round that wrote {@code drained} records, the last pause being {@code
     * pause}: none after a round with many (the serving threads fill their rings fast), {@link
     * #BUSY_PAUSE_NANOS} after one with some, twice the last (from {@link #MIN_IDLE_NANOS} up to
     * {@link #MAX_IDLE_NANOS}) after an empty one.
     */
    static long nextPause(long pause, long drained) {
        if (drained >= BATCH) {
            return 0;
        }
        if (drained > 0) {
            return BUSY_PAUSE_NANOS;
        }
        return Math.min(MAX_IDLE_NANOS, Math.max(MIN_IDLE_NANOS, pause * 2));
    }

    private boolean anyWaiting() {
        for (RecordRing r : rings) {
            if (!r.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** Drops the rings of threads that have ended, once they are empty. */
    private synchronized void forgetEndedThreads() {
        RecordRing[] all = rings;
        int live = 0;
        for (RecordRing r : all) {
            if (r.owner.isAlive() || !r.isEmpty()) {
                live++;
            }
        }
        if (live == all.length) {
            return;
        }
        RecordRing[] now = new RecordRing[live];
        int i = 0;
        for (RecordRing r : all) {
            if (r.owner.isAlive() || !r.isEmpty()) {
                now[i++] = r;
            }
        }
        rings = now;
    }

    /** Stops the thread and waits for its last round; the caller then drains what is left. */
    void stop() {
        stopped = true;
        LockSupport.unpark(thread);
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
