package io.mlguard.collector.ingest;

import io.mlguard.protocol.InferenceRecord;
import io.mlguard.protocol.RecordReader;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one ingest thread: waits for the queue directory to appear (the agent creates it), then tails
 * it with a named tailer. The position that counts after a restart is the one the {@link
 * IngestCheckpoint} committed together with the records' effects (the tailer's own position in the
 * queue metadata and the store's commit are two stores that a crash can leave apart): on start the
 * tailer is moved to just after the committed index, so nothing is lost and nothing is applied
 * twice.
 *
 * <p>The queue and tailer are created, used and closed on this thread only, as Chronicle requires;
 * {@link #close()} asks the thread to stop between two records and waits for it.
 */
public final class QueueIngestor implements AutoCloseable {
    /** The tailer's name, under which Chronicle stores the read position. */
    public static final String TAILER_NAME = "mlguard-collector";

    private static final Logger LOG = LoggerFactory.getLogger(QueueIngestor.class);
    private static final int BATCH = 1_000;
    private static final long WAIT_FOR_QUEUE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long RETRY_OPEN_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Path dir;
    private final IndexTracker handler;
    private final IngestStats stats;
    private final IngestCheckpoint checkpoint;
    private final Thread thread;
    private final RateLimitedLog rateLimited =
            new RateLimitedLog(LOG, TimeUnit.SECONDS.toNanos(30), System::nanoTime);
    private volatile boolean running = true;

    /** Decoded into for every inference: no detector keeps a record past its handler. */
    private final InferenceRecord reusedRecord = new InferenceRecord();

    private static final long LAG_CHECK_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** Without a checkpoint: every start reads the queue from its beginning. */
    public QueueIngestor(Path dir, RecordReader.Handler handler, IngestStats stats) {
        this(dir, handler, stats, IngestCheckpoint.NONE);
    }

    public QueueIngestor(
            Path dir,
            RecordReader.Handler handler,
            IngestStats stats,
            IngestCheckpoint checkpoint) {
        this.dir = dir;
        this.handler = new IndexTracker(handler);
        this.stats = stats;
        this.checkpoint = checkpoint;
        this.thread = new Thread(this::run, "mlguard-ingest");
    }

    public void start() {
        thread.start();
    }

    private void run() {
        ChronicleQueue queue = null;
        ExcerptTailer tailer = null;
        IdleBackoff backoff = new IdleBackoff();
        boolean announcedWait = false;
        long nextLagCheck = 0;
        try {
            while (running) {
                if (tailer == null) {
                    if (!queueExists(dir)) {
                        if (!announcedWait) {
                            LOG.info("waiting for queue {} to be created", dir);
                            announcedWait = true;
                        }
                        LockSupport.parkNanos(WAIT_FOR_QUEUE_NANOS);
                        continue;
                    }
                    try {
                        // The queue's own metadata decides the roll cycle; naming the agent's
                        // (FAST_HOURLY) only spares a warning on every start.
                        queue =
                                ChronicleQueue.singleBuilder(dir.toFile())
                                        .rollCycle(RollCycles.FAST_HOURLY)
                                        .build();
                        tailer = queue.createTailer(TAILER_NAME);
                        ResumePosition.after(queue, tailer, checkpoint.committedIndex());
                        stats.queueOpen(true);
                        LOG.info("tailing queue {} from index 0x{}", dir, hex(tailer.index()));
                    } catch (RuntimeException e) {
                        rateLimited.warn("open", "cannot open queue " + dir + ": " + e);
                        closeQuietly(queue);
                        queue = null;
                        LockSupport.parkNanos(RETRY_OPEN_NANOS);
                        continue;
                    }
                }
                int n = 0;
                try {
                    while (n < BATCH
                            && running
                            && RecordReader.readOne(tailer, handler, reusedRecord)) {
                        n++;
                        long index = handler.take();
                        if (index != -1) {
                            checkpoint.recordDone(index);
                        }
                    }
                } catch (RuntimeException e) {
                    // The queue itself failed (not a record's content): retry after a pause.
                    stats.readError();
                    rateLimited.warn("read", "error reading queue " + dir + ": " + e);
                    backoff.idle();
                    continue;
                }
                if (System.nanoTime() - nextLagCheck > 0 || n == 0) {
                    stats.lag(Lag.records(queue, handler.last()), n == 0);
                    nextLagCheck = System.nanoTime() + LAG_CHECK_NANOS;
                }
                if (n == 0) {
                    checkpoint.caughtUp();
                    backoff.idle();
                } else {
                    backoff.reset();
                }
            }
        } finally {
            // On this thread, between records: the final commit matches what was handled.
            try {
                checkpoint.close();
            } catch (RuntimeException e) {
                LOG.warn("final checkpoint failed: {}", e.toString());
            }
            closeQuietly(tailer);
            closeQuietly(queue);
            stats.queueOpen(false);
            stats.stopped();
        }
    }

    /** Chronicle writes its metadata file when the queue is built; cycle files follow. */
    static boolean queueExists(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        if (Files.exists(dir.resolve("metadata.cq4t"))) {
            return true;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*.cq4")) {
            return s.iterator().hasNext();
        } catch (IOException e) {
            return false;
        }
    }

    private static String hex(long index) {
        return Long.toHexString(index);
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            LOG.warn("error closing {}: {}", c.getClass().getSimpleName(), e.toString());
        }
    }

    /** Whether the ingest thread is still running. */
    public boolean isAlive() {
        return thread.isAlive();
    }

    /** Stops after the record in hand, closes the tailer and the queue, and waits for that. */
    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("ingest thread did not stop within 10 s");
        }
    }
}
