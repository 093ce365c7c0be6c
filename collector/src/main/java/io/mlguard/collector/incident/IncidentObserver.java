package io.mlguard.collector.incident;

/** Told of every incident the {@link IncidentManager} opens or updates, on the ingest thread. */
@FunctionalInterface
public interface IncidentObserver {
    /** Does nothing. */
    IncidentObserver NONE = (before, after) -> {};

    /**
     * An incident opened ({@code before} is {@code null}) or took one more signal. Must return
     * quickly: detection waits for it.
     */
    void changed(Incident before, Incident after);
}
