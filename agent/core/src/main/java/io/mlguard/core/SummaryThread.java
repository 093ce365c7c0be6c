package io.mlguard.core;

import io.mlguard.core.queue.QueueWriter;
import io.mlguard.core.summary.Summaries;
import io.mlguard.protocol.InferenceRecord;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Summarises the serving threads' captured inferences and writes their records, on a daemon thread
 * of its own, so that an inference pays only for copying its tensors: the statistics, the
 * fingerprint, the record's serialisation and the queue write (together some 5 us after an MNIST
 * digit, 80 us after a sentence embedding, most of it cache misses after the model has run) happen
 * here. Class loader: agent.
 *
 * <p>Each serving thread's records are written in the order of its inferences. Serving threads
 * never wake it: a wake-up is a system call on the inference's path, and on a host whose cores are
 * all busy the woken thread can take the serving thread's core at once, putting the very work it
 * was to take off that path back on it. Instead it looks again after a pause: none after a round
 * that found many captures; after one that found some, as long as captures coming at the rate just
 * seen take to fill a quarter of a ring or of its arena's limit ({@link #nextPause}), from {@link
 * #BUSY_PAUSE_NANOS} up to {@link #BUSY_MAX_PAUSE_NANOS}, so that a record waits at most some 50
 * ms; and after one that found none twice the last, from {@link #MIN_IDLE_NANOS} up to {@link
 * #IDLE_NANOS}; only after {@link #LONG_IDLE_ROUNDS} empty rounds at that pause (a second or more
 * without an inference) up to {@link #MAX_IDLE_NANOS}, so an idle server's agent wakes ten times a
 * second.
 *
 * <p>Waking is what this thread costs most where captures are few: a round after a sentence
 * embedding (one every 5 ms) summarises it in 11-14 us with its lines warm ({@code
 * AgentCapture.replayEmbedding}), but a wake-up costs a context switch, on a virtual machine an
 * exit to the hypervisor as well. With a fixed short pause after each capture it woke three or four
 * times per embedding, and more than half of its time went to waking and sleeping (perf: the futex
 * calls, and the hypervisor's interrupt enabling after each switch); paced by the rate of captures
 * with a longest pause of 10 ms it woke about once in two embeddings (42 us of its time per
 * embedding, {@code benchmarks/thread-cpu.sh} after 90 s), and with 50 ms once in twelve (18 us,
 * the output of rank 3 no longer classified as well).
 *
 * <p>Where the model's runtime keeps every core busy (ONNX Runtime's intra-op threads spin between
 * their tasks), every microsecond this thread runs is taken from the model's threads: they waited
 * for a core 43 us longer per embedding with the agent than without it, when this thread ran 42 us.
 * Hence the long pauses: a round of twelve captures costs less than twelve rounds of one.
 */
final class SummaryThread implements Runnable {
    static final long BUSY_PAUSE_NANOS = 100_000;
    static final long BUSY_MAX_PAUSE_NANOS = 50_000_000;
    static final long MIN_IDLE_NANOS = 1_000_000;
    static final long IDLE_NANOS = 10_000_000;
    static final long MAX_IDLE_NANOS = 100_000_000;
    static final int LONG_IDLE_ROUNDS = 100;
    static final int FORGET_EVERY_ROUNDS = 1024;

    private final QueueWriter writer;
    private final AgentCounters counters;
    private final Summaries summaries;
    private final Thread thread;

    /** A round that took this many captures goes again at once: half a ring. */
    private final int batch;

    /** Every registered ring; replaced whole under {@code this} (rings come with new threads). */
    private volatile CaptureRing[] rings = new CaptureRing[0];

    private volatile boolean stopped;
    private volatile boolean started;

    /** Read by this thread between rounds; {@code null} when small captures are never deferred. */
    private final CpuHeadroom headroom;

    /** Whether the host had a core to spare at the last reading of {@link #headroom}. */
    private volatile boolean spareCore;

    /** The running thread's {@link BusyShare}, set once it runs; for {@link #rounds}. */
    private volatile BusyShare share;

    /**
     * The largest a ring's arena grows to (stageKb): what {@link #nextPause} keeps a quarter of.
     */
    private final long stageLimit;

    SummaryThread(QueueWriter writer, AgentCounters counters, Summaries summaries, int ringSize) {
        this(writer, counters, summaries, ringSize, 4 << 20, null);
    }

    /**
     * @param stageLimit the largest a ring's arena grows to, in bytes
     * @param headroom what tells this thread, between its rounds, whether the host has a core to
     *     spare ({@link #spareCore}); {@code null} for never
     */
    SummaryThread(
            QueueWriter writer,
            AgentCounters counters,
            Summaries summaries,
            int ringSize,
            int stageLimit,
            CpuHeadroom headroom) {
        this.writer = writer;
        this.counters = counters;
        this.summaries = summaries;
        this.headroom = headroom;
        this.stageLimit = stageLimit;
        this.batch = Math.max(1, ringSize / 2);
        this.thread = new Thread(this, "mlguard-summaries");
        thread.setDaemon(true);
        thread.setContextClassLoader(SummaryThread.class.getClassLoader());
        counters.capturesDeferred.countFrom(new HandOvers(this));
    }

    /**
     * Captures handed over by the serving threads so far: {@link AgentCounters#capturesDeferred}.
     */
    private static final class HandOvers implements LongSupplier {
        private final SummaryThread summaries;

        HandOvers(SummaryThread summaries) {
            this.summaries = summaries;
        }

        @Override
        public long getAsLong() {
            return summaries.handedOver();
        }
    }

    /** The captures of the rings no longer registered (their threads ended, their rings empty). */
    private long forgottenHandOvers;

    /** Captures handed over so far: those of every ring, registered or forgotten. */
    synchronized long handedOver() {
        long n = forgottenHandOvers;
        for (CaptureRing r : rings) {
            n += r.handedOver();
        }
        return n;
    }

    /**
     * Starts the thread, once; the first serving thread to capture does it. Once it has started,
     * stopped or failed to start, this returns without the lock: every serving thread asks again at
     * each capture it would defer while the thread does not run.
     */
    void start() {
        if (started || stopped) {
            return;
        }
        synchronized (this) {
            if (!started && !stopped) {
                try {
                    thread.start();
                    started = true;
                } catch (Throwable t) {
                    // no thread to take the captures (the JVM cannot make one): hand none over
                    stopped = true;
                    AgentLog.once(
                            "summary-thread-start",
                            "the summary thread could not start ("
                                    + t
                                    + "); inferences are summarised on the serving threads");
                }
            }
        }
    }

    /** Whether the thread has been started, has stopped, or has failed to start. */
    boolean startedOrStopped() {
        return started || stopped;
    }

    /** Whether captures may be handed over: started and not stopped. */
    boolean running() {
        return started && !stopped;
    }

    /**
     * Whether the host had a core to spare for this thread at its last reading (see {@link
     * CpuHeadroom}), so that small captures may be handed to it too; false until it runs.
     */
    boolean spareCore() {
        return spareCore;
    }

    /**
     * The rounds this thread has made so far (read without synchronisation: for tests, which ask
     * after the rounds they count), or 0 before it runs.
     */
    long rounds() {
        BusyShare b = share;
        return b == null ? 0 : b.rounds;
    }

    /**
     * The share of a period this thread may spend summarising and still be handed small captures:
     * past {@link #BUSY_OFF} they go back to their serving threads, under {@link #BUSY_ON} they
     * come again. One summary thread serves every serving thread: with many of them on many cores,
     * each with a core to spare, it could not keep up, and each full ring would make its serving
     * thread write a waiting record itself, which costs more than summarising in place.
     */
    static final double BUSY_OFF = 0.8;

    static final double BUSY_ON = 0.6;

    /**
     * How busy this thread has been, read and written by it alone: made by {@link #run} on its own
     * thread, not kept in this object. Every round that finds captures adds to it, some ten
     * thousand times a second, and the serving threads read this object's flags ({@link
     * #spareCore}, {@link #running}) at every capture: in one cache line (they were: busy time at
     * offset 24, the flags at 40-42), each of those writes would take the line from the serving
     * thread's core, and its next capture would wait for the line to come back from this one.
     * Padded on both sides (a superclass's fields come first), so that wherever a collection moves
     * it, the lines of its often written fields hold nothing else.
     */
    private static final class BusyShare extends BusySharePad {
        /** Time spent in rounds that found captures since {@link #periodStart}. */
        long busyNanos;

        /** Rounds so far, for tests ({@link #rounds}). */
        long rounds;

        long periodStart = System.nanoTime();

        long pad09, pad10, pad11, pad12, pad13, pad14, pad15, pad16;

        /**
         * Whether this thread kept up in the last period (see {@link #BUSY_OFF}); rarely written.
         */
        boolean keepingUp = true;
    }

    private abstract static class BusySharePad {
        long pad01, pad02, pad03, pad04, pad05, pad06, pad07, pad08;
    }

    /** Whether a thread that spent {@code busy} of a period summarising still keeps up. */
    static boolean keepsUp(boolean keepingUp, double busy) {
        return keepingUp ? busy <= BUSY_OFF : busy <= BUSY_ON;
    }

    /**
     * Reads the headroom if a period has passed, and how busy this thread was; says so on a change,
     * at debug level.
     */
    private void readHeadroom(long now, BusyShare busy) {
        boolean cores = headroom.update(now);
        long elapsed = now - busy.periodStart;
        if (elapsed >= CpuHeadroom.PERIOD_NANOS) {
            busy.keepingUp = keepsUp(busy.keepingUp, busy.busyNanos / (double) elapsed);
            busy.busyNanos = 0;
            busy.periodStart = now;
        }
        boolean keepingUp = busy.keepingUp;
        boolean spare = cores && keepingUp;
        if (spare != spareCore) {
            spareCore = spare;
            AgentLog.debug(
                    String.format(
                            "%.2f cores spare, the summary thread %s: small captures are"
                                    + " summarised %s",
                            headroom.lastSpareCores(),
                            keepingUp ? "keeping up" : "busy",
                            spare ? "by the summary thread" : "on their serving threads"));
        }
    }

    synchronized CaptureRing register(CaptureRing ring) {
        CaptureRing[] old = rings;
        CaptureRing[] now = Arrays.copyOf(old, old.length + 1);
        now[old.length] = ring;
        rings = now;
        return ring;
    }

    @Override
    public void run() {
        long pause = MIN_IDLE_NANOS;
        int idleRounds = 0;
        long round = 0;
        BusyShare busy = new BusyShare();
        share = busy;
        long lastStart = System.nanoTime();
        try {
            while (!stopped) {
                long start = System.nanoTime();
                long since = start - lastStart;
                lastStart = start;
                busy.rounds++;
                long freed = freedBytes();
                long done = drainAll(summaries);
                long bytes = freedBytes() - freed;
                if (headroom != null) {
                    long end = System.nanoTime();
                    if (done > 0) {
                        busy.busyNanos += end - start;
                    }
                    readHeadroom(end, busy);
                }
                int idleBefore = idleRounds;
                idleRounds = done > 0 ? 0 : idleRounds + 1;
                if (forgetsEndedThreads(done, ++round)) {
                    forgetEndedThreads();
                }
                pause = nextPause(pause, done, batch, idleBefore, since, bytes, stageLimit);
                if (pause == 0) {
                    continue;
                }
                LockSupport.parkNanos(pause);
            }
        } catch (Throwable t) {
            AgentLog.once(
                    "summary-thread",
                    "the summary thread stopped ("
                            + t
                            + "); inferences are summarised on the serving threads");
        } finally {
            stopped = true;
            spareCore = false;
        }
    }

    /**
     * The pause after a round that took {@code done} captures, whose tensors took {@code bytes} of
     * the rings' arenas (0 if not known), {@code since} nanoseconds after the last round began, the
     * last pause being {@code pause} and {@code idleBefore} rounds in a row before this one having
     * found none: none after a round with {@code batch} (half a ring) or more; after one with some,
     * the time that half a batch takes to come at the rate just seen, or as many captures as fill a
     * quarter of an arena's {@code stageLimit} bytes if fewer, from {@link #BUSY_PAUSE_NANOS} up to
     * {@link #BUSY_MAX_PAUSE_NANOS} and at most twice the last pause ({@link #IDLE_NANOS} at most
     * after an empty round, below); twice the last (from {@link #MIN_IDLE_NANOS} up to {@link
     * #IDLE_NANOS}, or {@link #MAX_IDLE_NANOS} once idle long) after none.
     *
     * <p>A rate that rises meanwhile fills the ring faster: the next round finds a batch or more
     * and goes again at once, and a ring found full grows; one that falls finds fewer and waits
     * less. The arena's quarter keeps large captures (an image of a few hundred kilobytes) from
     * filling it during a long pause, which would make their serving threads summarise them.
     *
     * <p>Pauses lengthen at most twofold from one round to the next: one round's rate can be wrong.
     * With a longest pause of 50 ms and no such bound, MNIST inferences at 70,000 a second had
     * their serving thread write a fifth of its records itself (the ring full: some round had seen
     * few captures over a long time, a stall rather than a slow rate), against one in 50 to 70 with
     * a longest pause of 10 ms. A rate that is truly low reaches the longest pause in a few rounds.
     *
     * <p>The first round to find captures after one that found none does not know their rate: the
     * time it saw began before they did, so it takes them for slower than they may be. Its pause is
     * at most {@link #IDLE_NANOS}, as long as an empty round's. A shorter pause there would not do:
     * at one capture every 5 ms, every round that finds one follows an empty one, and the thread
     * would wake four or five times per capture.
     */
    static long nextPause(
            long pause,
            long done,
            int batch,
            int idleBefore,
            long since,
            long bytes,
            long stageLimit) {
        if (done >= batch) {
            return 0;
        }
        if (done > 0) {
            long most =
                    idleBefore > 0
                            ? IDLE_NANOS
                            : Math.min(
                                    BUSY_MAX_PAUSE_NANOS,
                                    Math.max(BUSY_PAUSE_NANOS, 2 * Math.max(0, pause)));
            long wait = Math.max(1, batch / 2);
            if (bytes > 0) {
                long perCaptureBytes = Math.max(1, bytes / done);
                wait = Math.max(1, Math.min(wait, stageLimit / 4 / perCaptureBytes));
            }
            long perCapture = Math.max(0, since) / done;
            long gather = perCapture >= most / wait ? most : perCapture * wait;
            return Math.max(BUSY_PAUSE_NANOS, gather);
        }
        long cap = idleBefore + 1 > LONG_IDLE_ROUNDS ? MAX_IDLE_NANOS : IDLE_NANOS;
        return Math.min(cap, Math.max(MIN_IDLE_NANOS, pause * 2));
    }

    /**
     * The bytes freed so far in the arenas of the registered rings: their difference across a round
     * is what the round's captures took. Each arena's position is on a line of its own that only
     * its consumer writes (see {@code StageArena}), so reading it here costs the serving threads
     * nothing.
     */
    private long freedBytes() {
        long n = 0;
        for (CaptureRing r : rings) {
            n += r.arena.freed();
        }
        return n;
    }

    /**
     * Whether round {@code round}, which took {@code done} captures, drops the rings of ended
     * threads: a round that found none, and every {@link #FORGET_EVERY_ROUNDS}th whatever it found,
     * so that under a load that leaves no round empty (a summary thread that cannot keep up, a new
     * thread per request) their rings, each with its arena, do not pile up.
     */
    static boolean forgetsEndedThreads(long done, long round) {
        return done == 0 || round % FORGET_EVERY_ROUNDS == 0;
    }

    /**
     * One round over every ring with {@code with}, at most a ring's worth of captures from each, so
     * that a thread that keeps its ring busy does not hold back the others; returns the captures
     * written.
     */
    long drainAll(Summaries with) {
        long n = 0;
        for (CaptureRing r : rings) {
            n += drain(r, with, r.capacity());
        }
        return n;
    }

    /**
     * Summarises and writes the captures waiting in {@code ring}, oldest first, on the calling
     * thread with its {@code summaries}; returns how many. A capture that fails to summarise is
     * counted as an internal error and dropped, never retried.
     */
    int drain(CaptureRing ring, Summaries with) {
        return drain(ring, with, Integer.MAX_VALUE);
    }

    /**
     * As {@link #drain(CaptureRing, Summaries)}, at most {@code max} captures. The ring is locked
     * for one capture at a time, each written before the next is taken, so that its serving thread,
     * come to write its oldest capture itself (its ring full), waits for one capture, not for a
     * ring's worth.
     */
    int drain(CaptureRing ring, Summaries with, int max) {
        int n = 0;
        while (n < max && !ring.isEmpty()) {
            synchronized (ring) {
                CaptureRing.Slot s = ring.peek();
                if (s == null) {
                    break;
                }
                n++;
                try {
                    InferenceRecord r = with.replayRecord();
                    s.putHeader(r);
                    with.replay(s, r);
                    writer.writeNow(r); // see QueueWriter.writeNow
                } catch (Throwable t) {
                    counters.internalErrors.increment();
                    counters.recordsDropped.increment();
                    AgentLog.once(
                            "summary-" + t.getClass().getName(),
                            "internal error while summarising an inference (counted, the"
                                    + " application is not affected): "
                                    + t);
                } finally {
                    ring.release(s);
                }
            }
        }
        return n;
    }

    /** Drops the rings of threads that have ended, once they are empty. */
    synchronized void forgetEndedThreads() {
        CaptureRing[] all = rings;
        int live = 0;
        for (CaptureRing r : all) {
            if (r.owner.isAlive() || !r.isEmpty()) {
                live++;
            }
        }
        if (live == all.length) {
            return;
        }
        CaptureRing[] now = new CaptureRing[live];
        int i = 0;
        for (CaptureRing r : all) {
            if (r.owner.isAlive() || !r.isEmpty()) {
                now[i++] = r;
            } else {
                forgottenHandOvers += r.handedOver(); // its thread has ended: it hands none over
            }
        }
        rings = now;
    }

    /**
     * Stops the thread and waits for its last round; captures handed over later are summarised by
     * their threads, and the caller drains what is left ({@link #drainAll}).
     */
    void stop() {
        stopped = true;
        if (started) {
            LockSupport.unpark(thread);
            try {
                thread.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
