package io.mlguard.collector.store;

import io.mlguard.collector.detect.Checkpointable;
import io.mlguard.collector.detect.Detector;
import io.mlguard.collector.detect.EntryCapture;
import io.mlguard.collector.incident.Incident;
import io.mlguard.collector.incident.IncidentManager;
import io.mlguard.collector.ingest.IngestCheckpoint;
import io.mlguard.collector.ingest.IngestStats;
import io.mlguard.collector.ingest.TimeHistogram;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits, in one transaction, everything the records handled since the last commit changed: the
 * incidents, which incident is open per group, the detectors' state, the ingest counters and the
 * queue index of the last record. A crash at any point therefore leaves the database at the end of
 * some record, and ingest resumes right after it: no update lost, none applied twice.
 *
 * <p>The ingest thread only captures that state between two records ({@link CheckpointSnapshot});
 * the {@link Committer} thread writes it to H2, so ingest never waits for the database and new
 * incidents, visible to the API from memory at once, become durable shortly after. Commits are
 * batched (every {@code batchRecords} records or {@code batchMillis} ms, at once when an incident
 * opens, whenever the queue is fully read, but never while the previous commit runs nor sooner than
 * {@link #COMMIT_SHARE} times the last commit took), so a busy queue costs one transaction per
 * batch, not per record, and large detector state costs at most about a tenth of a core. A failed
 * commit is rolled back and its changes stay pending for the next one; ingest goes on in memory.
 */
public final class StoreCheckpoint implements IngestCheckpoint {
    public static final int DEFAULT_BATCH_RECORDS = 5_000;
    public static final long DEFAULT_BATCH_MILLIS = 200;

    private static final Logger LOG = LoggerFactory.getLogger(StoreCheckpoint.class);

    /** A batch spans at least this many times the previous commit's duration. */
    static final int COMMIT_SHARE = 9;

    private final DurableIncidentStore incidents;
    private final IncidentManager manager;
    private final Map<String, Checkpointable> detectors = new LinkedHashMap<>();
    private final IngestStats stats;
    private final int batchRecords;
    private final long batchNanos;
    private final Committer committer;
    private final TimeHistogram commitTime =
            new TimeHistogram(1e-4, 5e-4, 1e-3, 5e-3, 0.01, 0.05, 0.1, 0.5, 1, 5);
    private final TimeHistogram captureTime =
            new TimeHistogram(1e-5, 1e-4, 5e-4, 1e-3, 5e-3, 0.01, 0.05, 0.1, 0.5, 1);
    // Where the time from an inference to its incident goes: from the record's timestamp to the
    // incident opening in memory (queue, read, detect; the API shows it from then on), and from
    // there to the commit that made it durable.
    private final TimeHistogram openLag = lagHistogram();
    private final TimeHistogram durableLag = lagHistogram();
    private long lastCaptureMillis = Long.MIN_VALUE; // of the last successful commit's capture
    private final AtomicLong commits = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private volatile long committedIndex;
    private volatile long lastCommitNanos; // capture plus write, of the last commit
    private volatile long lastFailureLog;
    private long lastIndex;
    private int pending;
    private long firstPendingNanos;

    StoreCheckpoint(
            StateDatabase db,
            DurableIncidentStore incidents,
            IncidentManager manager,
            List<Detector> detectors,
            IngestStats stats,
            int batchRecords,
            long batchMillis,
            long committedIndex,
            Map<String, String> openGroups) {
        this.incidents = incidents;
        this.manager = manager;
        for (Detector d : detectors) {
            if (d instanceof Checkpointable) {
                this.detectors.put(d.name(), (Checkpointable) d);
            }
        }
        this.stats = stats;
        this.batchRecords = batchRecords;
        this.batchNanos = TimeUnit.MILLISECONDS.toNanos(batchMillis);
        this.committedIndex = committedIndex;
        this.lastIndex = committedIndex;
        this.committer =
                new Committer(
                        new CheckpointWriter(db.ingestConnection(), openGroups), this::committed);
    }

    @Override
    public long committedIndex() {
        return committedIndex;
    }

    @Override
    public void recordDone(long index) {
        lastIndex = index;
        if (pending++ == 0) {
            firstPendingNanos = System.nanoTime();
        }
        // An incident that just opened is made durable at once (if the committer is free and
        // the share rule allows); otherwise read the clock every 64 records only: it costs more
        // than the check itself.
        if (incidents.opened()) {
            if (committer.idle() && shareAllows(System.nanoTime() - firstPendingNanos)) {
                commit();
            }
        } else if ((pending & 63) == 0 || pending == batchRecords) {
            long elapsed = System.nanoTime() - firstPendingNanos;
            if ((pending >= batchRecords || elapsed >= batchNanos) && shareAllows(elapsed)) {
                commit();
            }
        }
    }

    /**
     * However large the detectors' state grows, commits take at most about a tenth of the time: a
     * batch spans at least {@link #COMMIT_SHARE} times what the last commit took.
     */
    private boolean shareAllows(long elapsedNanos) {
        return elapsedNanos >= COMMIT_SHARE * lastCommitNanos;
    }

    @Override
    public void caughtUp() {
        // An idle moment commits what is pending, but under the same share rule as a full batch:
        // traffic with short gaps would otherwise commit after every gap.
        if ((pending > 0 || incidents.hasDirty())
                && shareAllows(System.nanoTime() - firstPendingNanos)) {
            commit();
        }
    }

    @Override
    public void close() {
        committer.awaitIdle();
        if (pending > 0 || incidents.hasDirty()) {
            committer.writeNow(capture());
        }
        committer.close();
    }

    /**
     * Hands the state after the last record to the committer; returns false (changes stay pending)
     * while the previous commit is still running. On the ingest thread only.
     */
    boolean commit() {
        if (!committer.idle()) {
            return false;
        }
        CheckpointSnapshot s = capture();
        if (committer.offer(s)) {
            pending = 0;
            return true;
        }
        incidents.undrain(s.changedIds);
        return false;
    }

    /** Stops the committer thread after the commit in hand; nothing more is committed. */
    void stopCommitter() {
        committer.close();
    }

    /** Waits for the commit in hand, for tests and the final commit. */
    void awaitCommitted() {
        committer.awaitIdle();
    }

    private CheckpointSnapshot capture() {
        long start = System.nanoTime();
        long wall = System.currentTimeMillis();
        incidents.clearOpened();
        Set<String> ids = incidents.drainDirty();
        Map<String, Incident> changed = new HashMap<>(ids.size() * 2);
        for (String id : ids) {
            incidents.get(id).ifPresent(i -> changed.put(id, i));
        }
        Map<String, Supplier<String>> states = new LinkedHashMap<>();
        Map<String, EntryCapture> entries = new LinkedHashMap<>();
        for (Map.Entry<String, Checkpointable> e : detectors.entrySet()) {
            EntryCapture parts = e.getValue().captureEntries();
            if (parts != null) {
                entries.put(e.getKey(), parts);
            } else {
                states.put(e.getKey(), e.getValue().captureState());
            }
        }
        String managerState =
                "{\"latestRecordTime\":"
                        + manager.latestRecordTime()
                        + ",\"dropped\":"
                        + manager.droppedIncidents()
                        + "}";
        CheckpointSnapshot s =
                new CheckpointSnapshot(
                        lastIndex,
                        ids,
                        changed,
                        manager.openGroups(),
                        states,
                        entries,
                        stats.saveState(),
                        managerState,
                        0,
                        0);
        long took = System.nanoTime() - start;
        captureTime.observeNanos(took);
        return s.withCapture(wall, took);
    }

    private static TimeHistogram lagHistogram() {
        return new TimeHistogram(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10);
    }

    /** On the committer thread (or the ingest thread's final commit), after each write. */
    private void committed(CheckpointSnapshot s, long writeNanos, Exception error) {
        long total = s.captureNanos + writeNanos;
        lastCommitNanos = total;
        commitTime.observeNanos(total);
        if (error == null) {
            committedIndex = s.queueIndex;
            commits.incrementAndGet();
            observeNewIncidents(s);
            return;
        }
        // Its incidents are written again by the next commit, as they are then.
        incidents.undrain(s.changedIds);
        failures.incrementAndGet();
        long now = System.nanoTime();
        if (now - lastFailureLog > TimeUnit.SECONDS.toNanos(30) || lastFailureLog == 0) {
            LOG.warn("cannot commit to the state database (will retry): {}", error.toString());
            lastFailureLog = now;
        }
    }

    /** Incidents created since the last successful capture are new in this commit. */
    private void observeNewIncidents(CheckpointSnapshot s) {
        long now = System.currentTimeMillis();
        for (Incident i : s.changed.values()) {
            if (i.createdAt() >= lastCaptureMillis) {
                openLag.observeNanos(TimeUnit.MILLISECONDS.toNanos(i.createdAt() - i.firstSeen()));
                durableLag.observeNanos(TimeUnit.MILLISECONDS.toNanos(now - i.createdAt()));
            }
        }
        lastCaptureMillis = s.captureMillis;
    }

    /** From an incident's first record to its opening in memory (and in the API). */
    public TimeHistogram incidentOpenLag() {
        return openLag;
    }

    /** From an incident's opening to the end of the commit that stored it. */
    public TimeHistogram incidentDurableLag() {
        return durableLag;
    }

    /** Time the ingest thread spent capturing each commit's state. */
    public TimeHistogram captureTime() {
        return captureTime;
    }

    /** Time each commit took (capture plus write), failed ones included. */
    public TimeHistogram commitTime() {
        return commitTime;
    }

    public long commits() {
        return commits.get();
    }

    public long commitFailures() {
        return failures.get();
    }
}
