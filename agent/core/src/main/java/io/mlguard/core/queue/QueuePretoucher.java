package io.mlguard.core.queue;

import io.mlguard.core.AgentLog;
import net.openhft.chronicle.bytes.MappedBytes;
import net.openhft.chronicle.bytes.MappedBytesStore;
import net.openhft.chronicle.bytes.MappedFile;
import net.openhft.chronicle.core.io.ReferenceOwner;
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
 * <p>Where the disk under the queue reads ahead far ({@link ReadAhead}), each first touch of a page
 * would make the kernel zero that much page cache around it at once, holding a core for
 * milliseconds: there, before touching a chunk of the mapped file, it advises the kernel that the
 * chunk's mapping is read at random ({@code madvise(MADV_RANDOM)}, through {@link QueueNative}), so
 * that each touch reads its one page. The advice belongs to the mapping, which the writers share.
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

    /** Whether the chunks of the mapped file are advised before their pages are touched. */
    private boolean advise;

    private final ReferenceOwner owner = ReferenceOwner.temporary("mlguard-queue-pretouch");

    /**
     * The chunks advised, from the writers' chunk on, held so that their mappings, which carry the
     * advice, stay mapped until the writers are past them: the writers and this thread's own bytes
     * take them from the mapped file while they are. A chunk no one holds is unmapped, and mapped
     * anew, unadvised, when next needed.
     */
    private final java.util.ArrayDeque<MappedBytesStore> advised = new java.util.ArrayDeque<>();

    private long advisedChunk = -1;

    QueuePretoucher(SingleChronicleQueue queue, DiskGuard disk) {
        this(queue, disk, false);
    }

    /**
     * With {@code adviseAnyway}, the chunks are advised wherever the disk's read-ahead is (tests,
     * which call {@link #touchAhead} themselves); else {@link #run} decides.
     */
    QueuePretoucher(SingleChronicleQueue queue, DiskGuard disk, boolean adviseAnyway) {
        this.queue = queue;
        this.disk = disk;
        this.advise = adviseAnyway;
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
        // here, off the start path: it reads /proc and /sys, and may load the JNI shim
        advise = advise || ReadAhead.adviseIfFar(queue.file());
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
        long from = Math.max(touchedTo, page + PAGE);
        if (advise && from < to) {
            adviseChunks(page, from, to);
        }
        long touched = 0;
        for (long p = from; p < to && !stopped; p += PAGE) {
            bytes.compareAndSwapInt(p, 0, 0);
            touched++;
        }
        touchedTo = Math.max(touchedTo, to);
        pagesTouched += touched;
        return touched;
    }

    /**
     * Advises the chunks of the mapped file that hold {@code [from, to)} and have not been yet:
     * that their mappings are read at random. Lets go of those wholly before the chunk of {@code
     * written}, the writers' page. A chunk's mapping also covers the start of the next (the mapped
     * file's overlap), which the writers may write through; it is advised as a whole. If the kernel
     * refuses, says so once and advises no more: the touches then read ahead as before.
     */
    private void adviseChunks(long written, long from, long to) {
        MappedFile file = bytes.mappedFile();
        long chunkSize = file.chunkSize();
        while (!advised.isEmpty()
                && advised.peekFirst().start() / chunkSize < written / chunkSize) {
            advised.pollFirst().release(owner);
        }
        for (long c = Math.max(advisedChunk + 1, from / chunkSize);
                c <= (to - 1) / chunkSize;
                c++) {
            MappedBytesStore chunk;
            try {
                chunk = file.acquireByteStore(owner, c * chunkSize);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            advised.addLast(chunk);
            advisedChunk = c;
            int error =
                    QueueNative.adviseRandom(
                            chunk.addressForRead(chunk.start()), chunk.capacity() - chunk.start());
            if (error != 0) {
                advise = false;
                AgentLog.once(
                        "queue-advice",
                        "the kernel refused to read the queue's pages one at a time (madvise error "
                                + error
                                + "); each first touch of a page reads the disk's read-ahead around"
                                + " it");
                return;
            }
        }
    }

    /** Whether chunks are advised from now on; for tests. */
    void advise(boolean on) {
        advise = on;
    }

    /** The last chunk advised, or -1; for tests. */
    long advisedChunk() {
        return advisedChunk;
    }

    /**
     * Lets go of the file and the chunks advised (run's end; tests that never start the thread).
     */
    void release() {
        while (!advised.isEmpty()) {
            advised.pollFirst().release(owner);
        }
        advisedChunk = -1;
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
