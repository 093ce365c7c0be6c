package io.mlguard.collector.incident;

/** Takes an operator's verdict on an incident: stores it, and lets it teach the collector. */
@FunctionalInterface
public interface FeedbackRecorder {
    /**
     * Records {@code feedback} on {@code incident}; when this returns normally the verdict is
     * stored (durably, for a durable store).
     *
     * @throws IllegalStateException when it could not be stored
     */
    void record(Incident incident, Feedback feedback);
}
