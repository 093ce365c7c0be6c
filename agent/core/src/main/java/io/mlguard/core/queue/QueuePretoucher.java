package io.mlguard.core.queue;

import io.mlguard.core.AgentLog;
import net.openhft.chronicle.bytes.MappedBytes;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueStore;

/**
 * Touches the queue file's pages just ahead of where records are being written, on a thread of its
 * own, so that the inference threads do not take the page faults. Class loader: agent.
 *
 * <p>A record is some 600 bytes, so a writer crosses into a new page of the mapped file every few
 * records, and the first write to a page faults: the kernel allocates the file's block and a zeroed
 * page and maps it. Measured with the AgentCapture benchmark on this project's 2-core VMs, that
 * fault was most of the cost of writing a record ({@code BytesInternal.writeFully} and the mapped
 * stores under it took 96 of 153 JFR samples of the write). Chronicle's own pretoucher is an
 * Enterprise feature; this one does what it is documented to do: every few milliseconds it reads
 * the current cycle file's write position and, through the queue's own mapped file (so that the
 * page table entries it creates are the writers'), swaps 0 for 0 at the start of each page up to
 * {@link #AHEAD} bytes past it. The swap never changes a byte: a page a writer already filled keeps
 * its data, and an atomic compare-and-swap cannot tear a writer's header.
 *
 * <p>It never stands in the writers' way: it stops touching while the disk guard has paused capture
 * (a touched page of a full disk would fault), and any failure stops it after one log line; the
 * writers then take their own page faults as before.
 */
final class QueuePretoucher implements Runnable {
    private static final long PAGE = 4096;

    /** How far ahead of the write position pages are touched: 1 MiB, some 1,700 records. */
    static final long AHEAD = 1 << 20;

    /** Between rounds while records are being written. */
    static final long PERIOD_MILLIS = 5;

    /**
     * The longest pause, reached by doubling while rounds find nothing to touch: a server that
     * serves nothing wakes the thread 10 times a second, not 200. Writers that start again
     * meanwhile take their own page faults for at most that long.
     */
    static final long IDLE_MILLIS = 100;

    private final SingleChronicleQueue queue;
    private final DiskGuard disk;
    private volatile boolean stopped;
    private final Thread thread;

    private SingleChronicleQueueStore store;
    private MappedBytes bytes;
    private int cycle;
    private long touchedTo;

    /** Pages touched so far (for tests and the debug log). */
    private volatile long pagesTouched;

    QueuePretoucher(SingleChronicleQueue queue, DiskGuard disk) {
        this.queue = queue;
        this.disk = disk;
        this.thread = new Thread(this, "mlguard-queue-pretouch");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    long pagesTouched() {
        return pagesTouched;
    }

    @Override
    public void run() {
        ReadAhead.sayIfFar(queue.file()); // here, off the start path: it reads /proc and /sys
        try {
            long pause = PERIOD_MILLIS;
            long lastStart = System.nanoTime();
            while (!stopped) {
                long start = System.nanoTime();
                long since = start - lastStart;
                lastStart = start;
                long touched = disk.paused() ? 0 : touchAhead();
                pause = nextPause(pause, touched, since);
                if (pause > 0) {
                    Thread.sleep(pause);
                }
            }
        } catch (InterruptedException e) {
            // stopped
        } catch (Throwable t) {
            if (!stopped) {
                AgentLog.once(
                        "pretouch",
                        "stopped touching the queue's pages ahead of the writers ("
                                + t
                                + "); records are still written");
            }
        } finally {
            release();
        }
    }

    /**
     * The pause in milliseconds after a round that touched {@code touched} pages, {@code since}
     * nanoseconds after the last round began, the last pause being {@code pause}: none after a
     * round that had a quarter of {@link #AHEAD} or more to touch (the writers are fast: go again
     * at once); after one that had some, as long as the writers take to write a quarter of it at
     * the rate just seen, from {@link #PERIOD_MILLIS} up to {@link #IDLE_MILLIS}; and twice the
     * last, up to {@link #IDLE_MILLIS}, after one that had none.
     *
     * <p>Each round touches as many pages as the writers filled since the last, so the writers stay
     * three quarters of {@link #AHEAD} or more behind the touched pages at the rate they write.
     * That rate sets the pause because waking is what this thread costs most where records are few:
     * at a sentence embedding every 5 ms a page fills every 15 ms, and a pause of the fixed period
     * woke it some 80 times a second, for one page each: on this project's VMs that was 22-26 us of
     * CPU per embedding, and paced 5-19 us (what remains is the pages' own faults).
     */
    static long nextPause(long pause, long touched, long since) {
        long quarter = AHEAD / PAGE / 4;
        if (touched >= quarter) {
            return 0;
        }
        if (touched > 0) {
            long perPage = Math.max(0, since) / touched;
            long idle = IDLE_MILLIS * 1_000_000;
            return perPage >= idle / quarter
                    ? IDLE_MILLIS
                    : Math.max(PERIOD_MILLIS, perPage * quarter / 1_000_000);
        }
        return Math.min(IDLE_MILLIS, Math.max(PERIOD_MILLIS, pause * 2));
    }

    /**
     * One round: follows the current cycle's file and touches the pages ahead of its writes;
     * returns how many it touched.
     */
    long touchAhead() {
        int current = queue.cycle();
        if (store == null || current != cycle) {
            release();
            store = queue.storeForCycle(current, queue.epoch(), false, null);
            if (store == null) {
                return 0; // no record written in this cycle yet: its file does not exist
            }
            bytes = store.bytes();
            cycle = current;
            touchedTo = 0;
        }
        long page = store.writePosition() & -PAGE;
        long to = page + AHEAD;
        long touched = 0;
        for (long p = Math.max(touchedTo, page + PAGE); p < to && !stopped; p += PAGE) {
            bytes.compareAndSwapInt(p, 0, 0);
            touched++;
        }
        touchedTo = Math.max(touchedTo, to);
        pagesTouched += touched;
        return touched;
    }

    private void release() {
        if (bytes != null) {
            bytes.releaseLast();
            bytes = null;
        }
        if (store != null) {
            queue.closeStore(store);
            store = null;
        }
    }

    /** Stops the thread and waits for it to let go of the queue's file. */
    void stop() {
        stopped = true;
        thread.interrupt();
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
