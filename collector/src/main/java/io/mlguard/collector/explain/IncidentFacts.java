package io.mlguard.collector.explain;

import io.mlguard.collector.detect.Severity;
import io.mlguard.collector.incident.Incident;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What an explainer may know about an incident, by the incident type's wire name so that templates
 * exist for types before their detectors do (e.g. {@code query_attack}).
 */
public record IncidentFacts(
        String id,
        String type,
        Severity severity,
        String model,
        List<String> clients,
        long clientsOmitted,
        long count,
        long firstSeen,
        long lastSeen,
        Map<String, Object> evidence,
        Map<String, Long> reasons) {

    public IncidentFacts {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(severity, "severity");
        clients = List.copyOf(clients);
        // Order matters to readers (detectors put the most telling numbers first).
        evidence = Collections.unmodifiableMap(new LinkedHashMap<>(evidence));
        reasons = Collections.unmodifiableMap(new LinkedHashMap<>(reasons));
    }

    public static IncidentFacts of(Incident i) {
        return new IncidentFacts(
                i.id(),
                i.type().wireName(),
                i.severity(),
                i.model(),
                i.clients(),
                i.clientsOmitted(),
                i.count(),
                i.firstSeen(),
                i.lastSeen(),
                i.evidence(),
                i.reasons());
    }

    /** Clients involved, listed or only counted. */
    public long clientCount() {
        return clients.size() + clientsOmitted;
    }

    public long reasonCount(String reason) {
        return reasons.getOrDefault(reason, 0L);
    }
}
