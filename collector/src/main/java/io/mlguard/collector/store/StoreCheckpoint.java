package io.mlguard.collector.store;

import io.mlguard.collector.detect.Checkpointable;
import io.mlguard.collector.detect.Detector;
import io.mlguard.collector.incident.Incident;
import io.mlguard.collector.incident.IncidentCodec;
import io.mlguard.collector.incident.IncidentManager;
import io.mlguard.collector.ingest.IngestCheckpoint;
import io.mlguard.collector.ingest.IngestStats;
import io.mlguard.collector.ingest.TimeHistogram;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits, in one transaction, everything the records handled since the last commit changed: the
 * incidents, which incident is open per group, the detectors' state, the ingest counters and the
 * queue index of the last record. A crash at any point therefore leaves the database at the end of
 * some record, and ingest resumes right after it: no update lost, none applied twice.
 *
 * <p>Commits are batched (every {@code batchRecords} records or {@code batchMillis} ms, but no
 * sooner than {@link #COMMIT_SHARE} times the last commit took, and whenever the queue is fully
 * read), so a busy queue costs one transaction per batch, not per record, and large detector state
 * cannot starve ingest. A failed commit is rolled back and its changes stay pending for the next
 * one; ingest goes on in memory.
 */
public final class StoreCheckpoint implements IngestCheckpoint {
    public static final int DEFAULT_BATCH_RECORDS = 5_000;
    public static final long DEFAULT_BATCH_MILLIS = 200;

    private static final Logger LOG = LoggerFactory.getLogger(StoreCheckpoint.class);

    /** A batch spans at least this many times the previous commit's duration. */
    static final int COMMIT_SHARE = 9;

    private final StateDatabase db;
    private final DurableIncidentStore incidents;
    private final IncidentManager manager;
    private final Map<String, Checkpointable> detectors = new LinkedHashMap<>();
    private final IngestStats stats;
    private final int batchRecords;
    private final long batchNanos;
    private final TimeHistogram commitTime =
            new TimeHistogram(1e-4, 5e-4, 1e-3, 5e-3, 0.01, 0.05, 0.1, 0.5, 1, 5);
    private final AtomicLong commits = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final Map<String, String> savedDetectorStates = new HashMap<>();
    private Map<String, String> savedOpenGroups;
    private volatile long committedIndex;
    private long lastIndex;
    private int pending;
    private long firstPendingNanos;
    private long lastFailureLog;
    private long lastCommitNanos;

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
        this.db = db;
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
        this.savedOpenGroups = new HashMap<>(openGroups);
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
        // Read the clock every 64 records only: it costs more than the check itself.
        if ((pending & 63) == 0 || pending == batchRecords) {
            long elapsed = System.nanoTime() - firstPendingNanos;
            // A batch is due after batchRecords records or batchMillis, but never sooner than
            // COMMIT_SHARE times the last commit took: however large the detectors' state grows,
            // commits take at most about a tenth of the ingest thread.
            if ((pending >= batchRecords || elapsed >= batchNanos)
                    && elapsed >= COMMIT_SHARE * lastCommitNanos) {
                commit();
            }
        }
    }

    @Override
    public void caughtUp() {
        // An idle moment commits what is pending, but under the same share rule as a full batch:
        // traffic with short gaps would otherwise commit (and stall ingest) after every gap.
        if ((pending > 0 || incidents.hasDirty())
                && System.nanoTime() - firstPendingNanos >= COMMIT_SHARE * lastCommitNanos) {
            commit();
        }
    }

    @Override
    public void close() {
        if (pending > 0 || incidents.hasDirty()) {
            commit();
        }
    }

    /** Commits now; returns whether it worked. On the ingest thread only. */
    boolean commit() {
        long start = System.nanoTime();
        Set<String> ids = incidents.drainDirty();
        Connection c = db.ingestConnection();
        try {
            writeIncidents(c, ids);
            Map<String, String> groups = manager.openGroups();
            writeOpenGroups(c, groups);
            Map<String, String> changedStates = writeDetectorStates(c);
            StateDatabase.putCheckpoint(
                    c,
                    lastIndex,
                    stats.saveState(),
                    "{\"latestRecordTime\":"
                            + manager.latestRecordTime()
                            + ",\"dropped\":"
                            + manager.droppedIncidents()
                            + "}");
            c.commit();
            savedOpenGroups = groups;
            savedDetectorStates.putAll(changedStates);
            committedIndex = lastIndex;
            pending = 0;
            commits.incrementAndGet();
            return true;
        } catch (SQLException | RuntimeException e) {
            rollback(c);
            incidents.undrain(ids);
            failures.incrementAndGet();
            long now = System.nanoTime();
            if (now - lastFailureLog > TimeUnit.SECONDS.toNanos(30) || lastFailureLog == 0) {
                LOG.warn("cannot commit to the state database (will retry): {}", e.toString());
                lastFailureLog = now;
            }
            return false;
        } finally {
            lastCommitNanos = System.nanoTime() - start;
            commitTime.observeNanos(lastCommitNanos);
        }
    }

    private void writeIncidents(Connection c, Set<String> ids) throws SQLException {
        try (PreparedStatement merge =
                        c.prepareStatement(
                                "MERGE INTO incident(id, type, severity, model, first_seen,"
                                        + " last_seen, created_at, updated_at, signal_count, body)"
                                        + " KEY(id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
                PreparedStatement delete = c.prepareStatement("DELETE FROM incident WHERE id=?")) {
            for (String id : ids) {
                Optional<Incident> current = incidents.get(id);
                if (current.isPresent()) {
                    Incident i = current.get();
                    merge.setString(1, i.id());
                    merge.setString(2, i.type().wireName());
                    merge.setString(3, i.severity().wireName());
                    merge.setString(4, i.model());
                    merge.setLong(5, i.firstSeen());
                    merge.setLong(6, i.lastSeen());
                    merge.setLong(7, i.createdAt());
                    merge.setLong(8, i.updatedAt());
                    merge.setLong(9, i.count());
                    merge.setString(10, IncidentCodec.encode(i));
                    merge.addBatch();
                } else {
                    delete.setString(1, id);
                    delete.addBatch();
                }
            }
            merge.executeBatch();
            delete.executeBatch();
        }
    }

    private void writeOpenGroups(Connection c, Map<String, String> groups) throws SQLException {
        try (PreparedStatement merge =
                        c.prepareStatement(
                                "MERGE INTO open_group(group_key, incident_id) KEY(group_key)"
                                        + " VALUES (?, ?)");
                PreparedStatement delete =
                        c.prepareStatement("DELETE FROM open_group WHERE group_key=?")) {
            for (Map.Entry<String, String> e : groups.entrySet()) {
                if (!e.getValue().equals(savedOpenGroups.get(e.getKey()))) {
                    merge.setString(1, e.getKey());
                    merge.setString(2, e.getValue());
                    merge.addBatch();
                }
            }
            for (String key : savedOpenGroups.keySet()) {
                if (!groups.containsKey(key)) {
                    delete.setString(1, key);
                    delete.addBatch();
                }
            }
            merge.executeBatch();
            delete.executeBatch();
        }
    }

    private Map<String, String> writeDetectorStates(Connection c) throws SQLException {
        Map<String, String> changed = new HashMap<>();
        for (Map.Entry<String, Checkpointable> e : detectors.entrySet()) {
            String state = e.getValue().saveState();
            if (!state.equals(savedDetectorStates.get(e.getKey()))) {
                putState(c, StateDatabase.DETECTOR_PREFIX + e.getKey(), state);
                changed.put(e.getKey(), state);
            }
        }
        return changed;
    }

    private static void putState(Connection c, String name, String value) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("MERGE INTO state(name, val) KEY(name) VALUES (?, ?)")) {
            ps.setString(1, name);
            ps.setString(2, value);
            ps.executeUpdate();
        }
    }

    private static void rollback(Connection c) {
        try {
            c.rollback();
        } catch (SQLException e) {
            LOG.warn("rollback failed: {}", e.toString());
        }
    }

    /** Time each commit took, failed ones included. */
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
