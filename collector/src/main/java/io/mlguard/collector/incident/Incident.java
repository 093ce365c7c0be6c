package io.mlguard.collector.incident;

import io.mlguard.collector.detect.Severity;
import io.mlguard.collector.detect.Signal;
import io.mlguard.collector.detect.SignalType;
import io.mlguard.collector.explain.Explanation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A group of signals of one type about one model (and, for per-client types, one client) that came
 * close together in record time. Immutable: every update makes a new instance, so the API and
 * report threads read consistent values without locks.
 */
public final class Incident {
    private static final java.util.regex.Pattern ID =
            java.util.regex.Pattern.compile("inc-[0-9a-f]{16}");

    /** Caps the client list of one incident; the rest are only counted. */
    static final int MAX_CLIENTS = 100;

    private final String id;
    private final String groupKey;
    private final SignalType type;
    private final Severity severity;
    private final String model;
    private final List<String> clients;
    private final long clientsOmitted;
    private final long firstSeen;
    private final long lastSeen;
    private final long createdAt;
    private final long updatedAt;
    private final long count;
    private final Map<String, Object> evidence;
    private final Map<String, Long> reasons;
    private final long firstRecordIndex;
    private final long lastRecordIndex;
    private final Explanation explanation;
    private final SignalTimeline timeline;

    // Package-private for IncidentCodec, which restores stored incidents field by field.
    Incident(
            String id,
            String groupKey,
            SignalType type,
            Severity severity,
            String model,
            List<String> clients,
            long clientsOmitted,
            long firstSeen,
            long lastSeen,
            long createdAt,
            long updatedAt,
            long count,
            Map<String, Object> evidence,
            Map<String, Long> reasons,
            long firstRecordIndex,
            long lastRecordIndex,
            Explanation explanation,
            SignalTimeline timeline) {
        this.id = id;
        this.groupKey = groupKey;
        this.type = type;
        this.severity = severity;
        this.model = model;
        this.clients = Collections.unmodifiableList(clients);
        this.clientsOmitted = clientsOmitted;
        this.firstSeen = firstSeen;
        this.lastSeen = lastSeen;
        this.createdAt = createdAt;
        this.updatedAt = updatedAt;
        this.count = count;
        this.evidence = Collections.unmodifiableMap(evidence);
        this.reasons = Collections.unmodifiableMap(reasons);
        this.firstRecordIndex = firstRecordIndex;
        this.lastRecordIndex = lastRecordIndex;
        this.explanation = explanation;
        this.timeline = timeline;
    }

    /** A new incident made of its first signal. */
    static Incident open(String id, String groupKey, Signal s, long now) {
        List<String> clients = new ArrayList<>(1);
        if (s.client() != null) {
            clients.add(s.client());
        }
        Map<String, Long> reasons = new LinkedHashMap<>();
        reasons.put(s.reason(), 1L);
        return new Incident(
                id,
                groupKey,
                s.type(),
                s.severity(),
                s.model(),
                clients,
                0,
                s.timestampMillis(),
                s.timestampMillis(),
                now,
                now,
                1,
                new LinkedHashMap<>(s.evidence()),
                reasons,
                s.recordIndex(),
                s.recordIndex(),
                null,
                SignalTimeline.of(s.timestampMillis()));
    }

    /**
     * This incident with one more signal: count and times move on, the severity is the highest
     * seen, and the evidence is that of the latest signal of that highest severity. Evidence is
     * replaced whole, never merged: signals of one incident can measure different statistics, and a
     * mix of their keys would pair one statistic's median with another's percentiles.
     */
    Incident with(Signal s, long now) {
        List<String> newClients = clients;
        long omitted = clientsOmitted;
        if (s.client() != null && !clients.contains(s.client())) {
            if (clients.size() < MAX_CLIENTS) {
                newClients = new ArrayList<>(clients);
                newClients.add(s.client());
            } else {
                omitted++;
            }
        }
        Map<String, Object> newEvidence;
        if (Objects.equals(evidence.get("statistic"), s.evidence().get("statistic"))) {
            newEvidence = new LinkedHashMap<>(evidence);
            newEvidence.putAll(s.evidence());
        } else {
            newEvidence = new LinkedHashMap<>(s.evidence());
        }
        Map<String, Long> newReasons = new LinkedHashMap<>(reasons);
        newReasons.merge(s.reason(), 1L, Long::sum);
        return new Incident(
                id,
                groupKey,
                type,
                Severity.max(severity, s.severity()),
                model,
                newClients,
                omitted,
                Math.min(firstSeen, s.timestampMillis()),
                Math.max(lastSeen, s.timestampMillis()),
                createdAt,
                now,
                count + 1,
                newEvidence,
                newReasons,
                Math.min(firstRecordIndex, s.recordIndex()),
                Math.max(lastRecordIndex, s.recordIndex()),
                explanation,
                timeline.with(s.timestampMillis()));
    }

    /** This incident with its explanation replaced. */
    public Incident withExplanation(Explanation e) {
        return new Incident(
                id,
                groupKey,
                type,
                severity,
                model,
                clients,
                clientsOmitted,
                firstSeen,
                lastSeen,
                createdAt,
                updatedAt,
                count,
                evidence,
                reasons,
                firstRecordIndex,
                lastRecordIndex,
                e,
                timeline);
    }

    /**
     * Whether a string has the form of an incident id ({@code inc-} and 16 lower-case hex digits),
     * the check before an id from outside is used in a path or a file name.
     */
    public static boolean wellFormedId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    public String id() {
        return id;
    }

    /** The grouping key: type, model and (for per-client types) client. */
    public String groupKey() {
        return groupKey;
    }

    public SignalType type() {
        return type;
    }

    public Severity severity() {
        return severity;
    }

    public String model() {
        return model;
    }

    /** The client identities involved, in order of first appearance (attacker-controlled). */
    public List<String> clients() {
        return clients;
    }

    /** Clients beyond {@link #MAX_CLIENTS} that were counted but not listed. */
    public long clientsOmitted() {
        return clientsOmitted;
    }

    /** Record time (epoch ms) of the earliest signal. */
    public long firstSeen() {
        return firstSeen;
    }

    /** Record time (epoch ms) of the latest signal. */
    public long lastSeen() {
        return lastSeen;
    }

    /** Collector time (epoch ms) when the incident was opened. */
    public long createdAt() {
        return createdAt;
    }

    /** Collector time (epoch ms) of the latest change. */
    public long updatedAt() {
        return updatedAt;
    }

    /** How many signals the incident holds. */
    public long count() {
        return count;
    }

    public Map<String, Object> evidence() {
        return evidence;
    }

    /** How many signals of each reason (e.g. {@code nan_or_inf}) the incident holds. */
    public Map<String, Long> reasons() {
        return reasons;
    }

    /** Queue index of the earliest record whose signal joined the incident. */
    public long firstRecordIndex() {
        return firstRecordIndex;
    }

    /** Queue index of the latest record whose signal joined the incident. */
    public long lastRecordIndex() {
        return lastRecordIndex;
    }

    /** How many signals came when, in bounded buckets. */
    public SignalTimeline timeline() {
        return timeline;
    }

    /** The explanation, or {@code null} before one was made. */
    public Explanation explanation() {
        return explanation;
    }
}
