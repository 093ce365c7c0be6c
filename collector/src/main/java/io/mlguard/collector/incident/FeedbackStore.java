package io.mlguard.collector.incident;

import java.util.List;

/** Where operators' feedback is kept; safe for concurrent use. */
public interface FeedbackStore {
    /**
     * Stores one verdict; when this returns normally it is durable (for a durable store).
     *
     * @throws IllegalStateException when it could not be stored
     */
    void add(Feedback feedback);

    /** The feedback on one incident, oldest first; empty when there is none. */
    List<Feedback> forIncident(String incidentId);

    /** Grows on every change, like {@link IncidentStore#version()}. */
    long version();
}
