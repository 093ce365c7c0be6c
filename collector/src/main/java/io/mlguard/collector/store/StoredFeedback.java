package io.mlguard.collector.store;

import io.mlguard.collector.incident.DetectorTuning;
import io.mlguard.collector.incident.Feedback;
import io.mlguard.collector.incident.FeedbackStore;
import io.mlguard.collector.incident.InMemoryFeedbackStore;
import java.sql.SQLException;
import java.util.List;

/** Feedback written through to the database before it is acknowledged, and read from memory. */
final class StoredFeedback implements FeedbackStore {
    private final StateDatabase db;
    private final InMemoryFeedbackStore memory = new InMemoryFeedbackStore();

    StoredFeedback(StateDatabase db, List<Feedback> stored) {
        this.db = db;
        stored.forEach(memory::add);
    }

    @Override
    public void add(Feedback f) {
        add(f, null);
    }

    /** Stores {@code f} and, unless null, the tuning it led to, in one transaction. */
    void add(Feedback f, DetectorTuning tuning) {
        try {
            db.insertFeedback(f, tuning);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store feedback: " + e.getMessage(), e);
        }
        memory.add(f);
    }

    @Override
    public List<Feedback> forIncident(String incidentId) {
        return memory.forIncident(incidentId);
    }

    @Override
    public long version() {
        return memory.version();
    }
}
