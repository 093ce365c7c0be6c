package io.mlguard.collector.store;

import io.mlguard.collector.detect.EntryCapture;
import io.mlguard.collector.incident.Incident;
import io.mlguard.collector.incident.IncidentCodec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Writes one {@link CheckpointSnapshot} as one transaction. It remembers what the last successful
 * commit wrote (open groups, detector states, detector entries) so that unchanged rows are not
 * rewritten; that memory moves only when a commit succeeds. A detector that checkpoints in parts
 * has its per-client entries in {@code detector_entry}, only the changed ones written per commit
 * ({@link DetectorEntries}), and its header in {@code state}. Used by one thread at a time (the
 * committer).
 */
final class CheckpointWriter {
    private final Connection c;
    private final Map<String, String> savedDetectorStates = new HashMap<>();
    private final Map<String, DetectorEntries> savedEntries = new HashMap<>();
    private Map<String, String> savedOpenGroups;

    CheckpointWriter(Connection c, Map<String, String> savedOpenGroups) {
        this.c = c;
        this.savedOpenGroups = new HashMap<>(savedOpenGroups);
    }

    /** Writes and commits {@code s}; rolls back and rethrows on failure. */
    void write(CheckpointSnapshot s) throws SQLException {
        try {
            writeIncidents(s.changed, s);
            writeOpenGroups(s.openGroups);
            Map<String, String> changedStates = new HashMap<>();
            Map<DetectorEntries, DetectorEntries.Changes> changedEntries = new HashMap<>();
            writeDetectorEntries(s.detectorEntries, changedStates, changedEntries);
            writeDetectorStates(s.detectorStates, changedStates);
            StateDatabase.putCheckpoint(c, s.queueIndex, s.ingestStats, s.manager);
            c.commit();
            savedOpenGroups = s.openGroups;
            savedDetectorStates.putAll(changedStates);
            changedEntries.forEach(DetectorEntries::committed);
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback();
            } catch (SQLException r) {
                e.addSuppressed(r);
            }
            throw e;
        }
    }

    private void writeIncidents(Map<String, Incident> changed, CheckpointSnapshot s)
            throws SQLException {
        try (PreparedStatement merge =
                        c.prepareStatement(
                                "MERGE INTO incident(id, type, severity, model, first_seen,"
                                        + " last_seen, created_at, updated_at, signal_count, body)"
                                        + " KEY(id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
                PreparedStatement delete = c.prepareStatement("DELETE FROM incident WHERE id=?")) {
            for (String id : s.changedIds) {
                Incident i = changed.get(id);
                if (i != null) {
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

    private void writeOpenGroups(Map<String, String> groups) throws SQLException {
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

    private void writeDetectorStates(
            Map<String, Supplier<String>> states, Map<String, String> changed) throws SQLException {
        for (Map.Entry<String, Supplier<String>> e : states.entrySet()) {
            putState(e.getKey(), e.getValue().get(), changed);
        }
    }

    /**
     * Per detector, its changed entries as rows and its header in {@code state} (see {@link
     * DetectorEntries#header}).
     */
    private void writeDetectorEntries(
            Map<String, EntryCapture> captures,
            Map<String, String> changedStates,
            Map<DetectorEntries, DetectorEntries.Changes> changedEntries)
            throws SQLException {
        for (Map.Entry<String, EntryCapture> e : captures.entrySet()) {
            DetectorEntries rows = savedEntries.get(e.getKey());
            if (rows == null) {
                rows = DetectorEntries.load(c, e.getKey());
                savedEntries.put(e.getKey(), rows);
            }
            EntryCapture capture = e.getValue();
            changedEntries.put(rows, rows.write(c, capture));
            String header = DetectorEntries.header(capture.arrayName(), capture.header());
            putState(e.getKey(), header, changedStates);
        }
    }

    private void putState(String detector, String state, Map<String, String> changed)
            throws SQLException {
        if (!state.equals(savedDetectorStates.get(detector))) {
            try (PreparedStatement ps =
                    c.prepareStatement("MERGE INTO state(name, val) KEY(name) VALUES (?, ?)")) {
                ps.setString(1, StateDatabase.DETECTOR_PREFIX + detector);
                ps.setString(2, state);
                ps.executeUpdate();
            }
            changed.put(detector, state);
        }
    }
}
