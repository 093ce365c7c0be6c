package io.mlguard.collector.api;

import io.mlguard.collector.incident.IncidentStore;
import io.mlguard.collector.ingest.IngestStats;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/** The numbers {@code GET /healthz} reports, also shown at the top of the reports. */
public final class Health {
    private final IngestStats stats;
    private final IncidentStore store;
    private final LongSupplier droppedIncidents;

    public Health(IngestStats stats, IncidentStore store, LongSupplier droppedIncidents) {
        this.stats = stats;
        this.store = store;
        this.droppedIncidents = droppedIncidents;
    }

    /** A fresh snapshot, in display order. */
    public Map<String, Object> snapshot() {
        Map<String, Object> m = new LinkedHashMap<>();
        // "waiting_for_queue" until the agent has created the queue: the collector is fine then.
        m.put("status", stats.state());
        m.put("recordsRead", stats.recordsRead());
        m.put("inferenceRecords", stats.inferenceRecords());
        m.put("modelLoadRecords", stats.modelLoadRecords());
        m.put("malformedRecords", stats.malformedRecords());
        m.put("malformedByReason", stats.malformedByReason());
        m.put("detectorErrors", stats.detectorErrors());
        m.put("readErrors", stats.readErrors());
        m.put("incidents", store.size());
        m.put("incidentsDropped", droppedIncidents.getAsLong());
        m.put("lastRecordTimestamp", stats.lastRecordTimestamp());
        return m;
    }
}
