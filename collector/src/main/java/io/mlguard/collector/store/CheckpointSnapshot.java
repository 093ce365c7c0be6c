package io.mlguard.collector.store;

import io.mlguard.collector.detect.EntryCapture;
import io.mlguard.collector.incident.Incident;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Everything one commit writes, captured on the ingest thread between two records: the state right
 * after the record at {@link #queueIndex}. Incidents are immutable and the maps are copies, so the
 * committer thread can write it while ingest goes on; detector states are suppliers so that a
 * detector can defer its serialisation to that thread (see {@code Checkpointable#captureState}).
 */
final class CheckpointSnapshot {
    final long queueIndex;

    /**
     * The ids whose incidents changed, taken from the store's dirty set (given back on failure).
     */
    final Set<String> changedIds;

    /** The current version of each changed incident; an id absent here was removed. */
    final Map<String, Incident> changed;

    final Map<String, String> openGroups;
    final Map<String, Supplier<String>> detectorStates;

    /** The states of the detectors that checkpoint in parts (their entries as rows). */
    final Map<String, EntryCapture> detectorEntries;

    final String ingestStats;
    final String manager;

    /** When the ingest thread captured this (wall clock) and how long that took. */
    final long captureMillis;

    final long captureNanos;

    CheckpointSnapshot(
            long queueIndex,
            Set<String> changedIds,
            Map<String, Incident> changed,
            Map<String, String> openGroups,
            Map<String, Supplier<String>> detectorStates,
            Map<String, EntryCapture> detectorEntries,
            String ingestStats,
            String manager,
            long captureMillis,
            long captureNanos) {
        this.queueIndex = queueIndex;
        this.changedIds = changedIds;
        this.changed = changed;
        this.openGroups = openGroups;
        this.detectorStates = detectorStates;
        this.detectorEntries = detectorEntries;
        this.ingestStats = ingestStats;
        this.manager = manager;
        this.captureMillis = captureMillis;
        this.captureNanos = captureNanos;
    }

    CheckpointSnapshot withCapture(long millis, long nanos) {
        return new CheckpointSnapshot(
                queueIndex,
                changedIds,
                changed,
                openGroups,
                detectorStates,
                detectorEntries,
                ingestStats,
                manager,
                millis,
                nanos);
    }
}
