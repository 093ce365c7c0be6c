package io.mlguard.collector.detect;

/**
 * A detector whose state matters for correct results after a restart (learnt baselines, reference
 * windows). The durable store saves {@link #saveState()} in the same transaction as the incidents
 * and the queue position, and hands it back to {@link #restoreState} on start, so the detector
 * resumes exactly where the stored position says. Both run on the ingest thread.
 */
public interface Checkpointable {
    /** The detector's state as a self-contained string (JSON), bounded like the state itself. */
    String saveState();

    /**
     * Replaces the state with one {@link #saveState()} returned, possibly by an older version.
     *
     * @throws IllegalArgumentException if it cannot be read; the detector is then left as new
     */
    void restoreState(String state);
}
