package io.mlguard.collector.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mlguard.collector.detect.Checkpointable;
import io.mlguard.collector.detect.Detector;
import io.mlguard.collector.detect.UnknownStateFormatException;
import io.mlguard.collector.incident.FeedbackStore;
import io.mlguard.collector.incident.IncidentManager;
import io.mlguard.collector.ingest.IngestStats;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything the collector keeps across restarts, opened from a state directory: the incidents and
 * feedback (loaded into memory at once), then {@link #restore} puts the grouping state, the
 * detectors' state and the counters back and returns the checkpoint that keeps them all in step
 * with the queue position.
 */
public final class DurableState implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DurableState.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final StateDatabase db;
    private final DurableIncidentStore incidents = new DurableIncidentStore();
    private final StoredFeedback feedback;
    private final FeedbackTuning tuning;
    private StoreCheckpoint checkpoint; // set by restore

    private DurableState(StateDatabase db) throws SQLException {
        this.db = db;
        incidents.load(db.loadIncidents());
        this.feedback = new StoredFeedback(db, db.loadFeedback());
        this.tuning = new FeedbackTuning(feedback, db.loadTuning());
    }

    public static DurableState open(Path dir) throws IOException {
        StateDatabase db = StateDatabase.open(dir);
        try {
            return new DurableState(db);
        } catch (SQLException | RuntimeException e) {
            db.close();
            throw new IOException("cannot read the state database in " + dir + ": " + e, e);
        }
    }

    public DurableIncidentStore incidents() {
        return incidents;
    }

    public FeedbackStore feedback() {
        return feedback;
    }

    /**
     * Where verdicts are recorded so that they tune the detectors; its {@link
     * FeedbackTuning#sensitivity()} holds the stored tuning already, for detectors built after
     * {@link #open}.
     */
    public FeedbackTuning tuning() {
        return tuning;
    }

    /** As {@link #restore(IncidentManager, List, IngestStats, int, long)} with default batches. */
    public StoreCheckpoint restore(
            IncidentManager manager, List<Detector> detectors, IngestStats stats)
            throws IOException {
        return restore(
                manager,
                detectors,
                stats,
                StoreCheckpoint.DEFAULT_BATCH_RECORDS,
                StoreCheckpoint.DEFAULT_BATCH_MILLIS);
    }

    /** Restores the state saved at the last commit; call before ingest starts. */
    public StoreCheckpoint restore(
            IncidentManager manager,
            List<Detector> detectors,
            IngestStats stats,
            int batchRecords,
            long batchMillis)
            throws IOException {
        try {
            Map<String, String> groups = db.loadOpenGroups();
            Optional<StateDatabase.Checkpoint> cp = db.checkpoint();
            JsonNode m = JSON.readTree(cp.map(c -> c.manager).orElse("{}"));
            manager.restore(
                    groups,
                    m.path("latestRecordTime").asLong(Long.MIN_VALUE),
                    m.path("dropped").asLong());
            for (Detector d : detectors) {
                Optional<String> s = db.state(StateDatabase.DETECTOR_PREFIX + d.name());
                if (s.isPresent() && d instanceof Checkpointable) {
                    try {
                        ((Checkpointable) d)
                                .restoreState(DetectorEntries.restore(s.get(), db, d.name()));
                    } catch (UnknownStateFormatException e) {
                        // not damaged but not ours to read: starting afresh would overwrite it
                        throw new IOException(
                                "detector "
                                        + d.name()
                                        + " in "
                                        + db.dir()
                                        + ": the stored state is of a format this collector does"
                                        + " not read (written by a newer collector?); run that"
                                        + " collector, or move the state directory away to start"
                                        + " afresh: "
                                        + e.getMessage(),
                                e);
                    } catch (IllegalArgumentException e) {
                        LOG.warn("detector {} starts afresh: its state is unreadable: {}", d, e);
                    }
                }
            }
            if (cp.isPresent()) {
                stats.restoreState(cp.get().ingestStats);
            }
            long index = cp.map(c -> c.queueIndex).orElse(-1L);
            db.ingestConnection().commit(); // end the read transaction
            LOG.info(
                    "state {}: {} incidents, checkpoint at queue index 0x{}",
                    db.dir(),
                    incidents.size(),
                    Long.toHexString(index));
            checkpoint =
                    new StoreCheckpoint(
                            db,
                            incidents,
                            manager,
                            detectors,
                            stats,
                            batchRecords,
                            batchMillis,
                            index,
                            groups);
            return checkpoint;
        } catch (SQLException | RuntimeException e) {
            throw new IOException("cannot restore the state in " + db.dir() + ": " + e, e);
        }
    }

    @Override
    public void close() {
        if (checkpoint != null) {
            checkpoint.stopCommitter(); // normally stopped already, after the final commit
        }
        db.close();
    }
}
