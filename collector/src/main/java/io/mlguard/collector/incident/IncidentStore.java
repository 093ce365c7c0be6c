package io.mlguard.collector.incident;

import java.util.List;
import java.util.Optional;

/**
 * Where incidents are kept. Safe for one writer (the incident manager) and many readers (API,
 * reports): {@link InMemoryIncidentStore}, or the durable {@code store.DurableIncidentStore}.
 */
public interface IncidentStore {
    /** Inserts or replaces the incident with the same id. */
    void put(Incident incident);

    Optional<Incident> get(String id);

    /** Removes an incident; returns whether it was there. */
    boolean remove(String id);

    /** Every incident, newest first (by first seen, then queue position). */
    List<Incident> list();

    int size();

    /** Grows on every change; readers compare it to tell whether anything changed. */
    long version();
}
