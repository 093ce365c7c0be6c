package io.mlguard.collector.store;

import io.mlguard.collector.detect.SignalType;
import io.mlguard.collector.incident.DetectorTuning;
import io.mlguard.collector.incident.Feedback;
import io.mlguard.collector.incident.Incident;
import io.mlguard.collector.incident.IncidentCodec;
import io.mlguard.collector.incident.ThresholdTuner;
import io.mlguard.collector.incident.Verdict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The collector's embedded database: H2 in a file under the state directory, spoken to in plain SQL
 * over JDBC.
 *
 * <p>Why H2 with SQL rather than its MVStore maps: the tables are the ones a central collector tier
 * keeps in PostgreSQL (DESIGN, Scale), so the same statements carry over; one SQL transaction
 * covers incidents, open groups, detector state, counters and the queue position, which is what
 * makes a crash at any point leave a consistent prefix; and {@code h2 -url ...} lets an operator
 * look inside with ordinary tools. Commits are batched by {@link StoreCheckpoint}, so the SQL layer
 * costs little per record.
 *
 * <p>{@code WRITE_DELAY=0}: each commit is written to the file before {@code commit()} returns (to
 * the OS, which keeps it across a killed process), so feedback acknowledged to an operator is never
 * lost with the process. {@code DB_CLOSE_ON_EXIT=FALSE}: the collector's own shutdown hook closes
 * the database after its final commit; H2's hook must not close it first. {@code
 * MAX_COMPACT_TIME=0}: H2 2.3.232's compaction on close ({@code compactMoveChunks}) can fail an
 * internal assertion; the close then writes no clean-shutdown marker and the next open recovers an
 * older chunk set, i.e. an older checkpoint, so records would be processed twice (a CI failure of
 * CollectorEndToEndTest). The file is compacted in the background while open instead.
 */
public final class StateDatabase implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StateDatabase.class);

    /** The database's file name in the state directory (H2 adds {@code .mv.db}). */
    public static final String NAME = "mlguard";

    static final String DETECTOR_PREFIX = "detector.";

    /**
     * The longest entry row ({@code detector_entry.val}, H2's longest VARCHAR): a longer one would
     * fail every commit from then on. The entries of today's detectors stay far below it.
     */
    static final int ENTRY_CHARS = 1_000_000;

    private static final String[] SCHEMA = {
        "CREATE TABLE IF NOT EXISTS incident ("
                + " id VARCHAR(64) PRIMARY KEY,"
                + " type VARCHAR(64) NOT NULL,"
                + " severity VARCHAR(16) NOT NULL,"
                + " model VARCHAR(1000000),"
                + " first_seen BIGINT NOT NULL,"
                + " last_seen BIGINT NOT NULL,"
                + " created_at BIGINT NOT NULL,"
                + " updated_at BIGINT NOT NULL,"
                + " signal_count BIGINT NOT NULL,"
                + " body VARCHAR(1000000) NOT NULL)", // every field, as IncidentCodec writes it
        "CREATE TABLE IF NOT EXISTS open_group ("
                + " group_key VARCHAR(1000000) PRIMARY KEY,"
                + " incident_id VARCHAR(64) NOT NULL)",
        "CREATE TABLE IF NOT EXISTS feedback ("
                + " seq BIGINT AUTO_INCREMENT PRIMARY KEY,"
                + " incident_id VARCHAR(64) NOT NULL,"
                + " verdict VARCHAR(32) NOT NULL,"
                + " comment VARCHAR(16000) NOT NULL,"
                + " created_at BIGINT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS feedback_incident ON feedback(incident_id)",
        // Where feedback has moved each signal type's threshold (ThresholdTuner), written in the
        // transaction of the verdict that moved it.
        "CREATE TABLE IF NOT EXISTS tuning ("
                + " signal_type VARCHAR(64) PRIMARY KEY,"
                + " level INT NOT NULL,"
                + " false_positives BIGINT NOT NULL,"
                + " true_positives BIGINT NOT NULL)",
        // Detector state can be large and changes rarely once learnt: a CLOB.
        "CREATE TABLE IF NOT EXISTS state (name VARCHAR(255) PRIMARY KEY, val CLOB NOT NULL)",
        // The per-key entries (per client) of detectors that checkpoint in parts (EntryCapture):
        // a commit writes the changed entries only; seq orders them as the state does. Plain
        // columns, not CLOBs: an entry is small (at most ~200 kB of JSON for the detectors that
        // use it) and a LOB per row costs far more to rewrite.
        "CREATE TABLE IF NOT EXISTS detector_entry ("
                + " detector VARCHAR(255) NOT NULL,"
                + " entry_key VARCHAR(1000000) NOT NULL,"
                + " seq BIGINT NOT NULL,"
                + " val VARCHAR("
                + ENTRY_CHARS
                + ") NOT NULL,"
                + " PRIMARY KEY(detector, entry_key))",
        // Written on every commit: one row of plain columns (a CLOB rewrite costs far more).
        "CREATE TABLE IF NOT EXISTS checkpoint ("
                + " id INT PRIMARY KEY,"
                + " queue_index BIGINT NOT NULL,"
                + " ingest_stats VARCHAR(1000000) NOT NULL,"
                + " manager VARCHAR(10000) NOT NULL)"
    };

    private final Path dir;
    private final DirectoryLock lock;
    private final Connection ingest; // the ingest thread's: incidents, state, checkpoint
    private final Connection operator; // HTTP threads': feedback (synchronized on itself)

    private StateDatabase(Path dir, DirectoryLock lock, Connection ingest, Connection operator) {
        this.dir = dir;
        this.lock = lock;
        this.ingest = ingest;
        this.operator = operator;
    }

    /** Opens (creating if needed) the database in {@code dir}. */
    public static StateDatabase open(Path dir) throws IOException {
        Files.createDirectories(dir);
        // H2 lets two collectors of one JVM share a database; one writer must own it.
        DirectoryLock lock = DirectoryLock.acquire(dir);
        String url =
                "jdbc:h2:file:"
                        + dir.toAbsolutePath().resolve(NAME)
                        + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0;MAX_COMPACT_TIME=0";
        Connection a = null;
        Connection b = null;
        try {
            a = DriverManager.getConnection(url, "mlguard", "");
            b = DriverManager.getConnection(url, "mlguard", "");
            try (Statement st = a.createStatement()) {
                for (String sql : SCHEMA) {
                    st.execute(sql);
                }
            }
            a.setAutoCommit(false);
            return new StateDatabase(dir, lock, a, b);
        } catch (SQLException e) {
            closeQuietly(b);
            closeQuietly(a);
            lock.close();
            throw new IOException(
                    "cannot open the state database in "
                            + dir
                            + " (is another collector using it?): "
                            + e.getMessage(),
                    e);
        }
    }

    public Path dir() {
        return dir;
    }

    /** The ingest thread's connection, in manual-commit mode. */
    Connection ingestConnection() {
        return ingest;
    }

    Optional<String> state(String name) throws SQLException {
        try (PreparedStatement ps = ingest.prepareStatement("SELECT val FROM state WHERE name=?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /** A detector's entries' JSON, in seq order (the state's order). */
    List<String> detectorEntries(String detector) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps =
                ingest.prepareStatement(
                        "SELECT val FROM detector_entry WHERE detector=? ORDER BY seq")) {
            ps.setString(1, detector);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /** The stored checkpoint row: queue index, ingest counters and grouping state. */
    static final class Checkpoint {
        final long queueIndex;
        final String ingestStats;
        final String manager;

        Checkpoint(long queueIndex, String ingestStats, String manager) {
            this.queueIndex = queueIndex;
            this.ingestStats = ingestStats;
            this.manager = manager;
        }
    }

    Optional<Checkpoint> checkpoint() throws SQLException {
        try (Statement st = ingest.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT queue_index, ingest_stats, manager FROM checkpoint"
                                        + " WHERE id=1")) {
            return rs.next()
                    ? Optional.of(new Checkpoint(rs.getLong(1), rs.getString(2), rs.getString(3)))
                    : Optional.empty();
        }
    }

    /** Writes the checkpoint row inside the caller's transaction. */
    static void putCheckpoint(Connection c, long index, String ingestStats, String manager)
            throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "MERGE INTO checkpoint(id, queue_index, ingest_stats, manager) KEY(id)"
                                + " VALUES (1, ?, ?, ?)")) {
            ps.setLong(1, index);
            ps.setString(2, ingestStats);
            ps.setString(3, manager);
            ps.executeUpdate();
        }
    }

    List<Incident> loadIncidents() throws SQLException {
        List<Incident> all = new ArrayList<>();
        try (Statement st = ingest.createStatement();
                ResultSet rs = st.executeQuery("SELECT id, body FROM incident")) {
            while (rs.next()) {
                try {
                    all.add(IncidentCodec.decode(rs.getString(2)));
                } catch (IllegalArgumentException e) {
                    LOG.warn("skipping unreadable stored incident {}: {}", rs.getString(1), e);
                }
            }
        }
        return all;
    }

    Map<String, String> loadOpenGroups() throws SQLException {
        Map<String, String> m = new HashMap<>();
        try (Statement st = ingest.createStatement();
                ResultSet rs = st.executeQuery("SELECT group_key, incident_id FROM open_group")) {
            while (rs.next()) {
                m.put(rs.getString(1), rs.getString(2));
            }
        }
        return m;
    }

    List<Feedback> loadFeedback() throws SQLException {
        List<Feedback> all = new ArrayList<>();
        try (Statement st = ingest.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT incident_id, verdict, comment, created_at FROM feedback"
                                        + " ORDER BY seq")) {
            while (rs.next()) {
                all.add(
                        new Feedback(
                                rs.getString(1),
                                Verdict.ofWireName(rs.getString(2)),
                                rs.getString(3),
                                rs.getLong(4)));
            }
        }
        ingest.commit(); // end the read transaction
        return all;
    }

    /** Inserts one feedback row in its own, immediately committed transaction. */
    void insertFeedback(Feedback f) throws SQLException {
        insertFeedback(f, null);
    }

    /**
     * Inserts one feedback row and, unless {@code tuning} is null, the tuning state it led to, in
     * one immediately committed transaction: the verdict and its effect are stored together or not
     * at all.
     */
    void insertFeedback(Feedback f, DetectorTuning tuning) throws SQLException {
        synchronized (operator) {
            operator.setAutoCommit(false);
            try (PreparedStatement ps =
                            operator.prepareStatement(
                                    "INSERT INTO feedback(incident_id, verdict, comment, created_at)"
                                            + " VALUES (?, ?, ?, ?)");
                    PreparedStatement t =
                            operator.prepareStatement(
                                    "MERGE INTO tuning(signal_type, level, false_positives,"
                                            + " true_positives) KEY(signal_type)"
                                            + " VALUES (?, ?, ?, ?)")) {
                ps.setString(1, f.incidentId());
                ps.setString(2, f.verdict().wireName());
                ps.setString(3, f.comment());
                ps.setLong(4, f.createdAt());
                ps.executeUpdate();
                if (tuning != null) {
                    t.setString(1, tuning.type().wireName());
                    t.setInt(2, tuning.level());
                    t.setLong(3, tuning.falsePositives());
                    t.setLong(4, tuning.truePositives());
                    t.executeUpdate();
                }
                operator.commit();
            } catch (SQLException | RuntimeException e) {
                try {
                    operator.rollback();
                } catch (SQLException r) {
                    e.addSuppressed(r);
                }
                throw e;
            } finally {
                operator.setAutoCommit(true);
            }
        }
    }

    /** The stored tuning states; rows of unknown types (a newer collector's) are skipped. */
    List<DetectorTuning> loadTuning() throws SQLException {
        List<DetectorTuning> all = new ArrayList<>();
        try (Statement st = ingest.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT signal_type, level, false_positives, true_positives"
                                        + " FROM tuning")) {
            while (rs.next()) {
                SignalType type;
                try {
                    type = SignalType.ofWireName(rs.getString(1));
                } catch (IllegalArgumentException e) {
                    LOG.warn("skipping tuning of unknown type {}", rs.getString(1));
                    continue;
                }
                all.add(ThresholdTuner.of(type, rs.getInt(2), rs.getLong(3), rs.getLong(4)));
            }
        }
        ingest.commit(); // end the read transaction
        return all;
    }

    @Override
    public void close() {
        closeQuietly(operator);
        closeQuietly(ingest);
        lock.close();
    }

    private static void closeQuietly(Connection c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (SQLException e) {
            LOG.warn("error closing the state database: {}", e.toString());
        }
    }
}
