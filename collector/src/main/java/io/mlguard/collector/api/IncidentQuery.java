package io.mlguard.collector.api;

import io.mlguard.collector.detect.Severity;
import io.mlguard.collector.detect.SignalType;
import io.mlguard.collector.incident.Incident;
import java.util.Map;

/**
 * The filters of {@code GET /api/incidents}: {@code type}, {@code model}, {@code client} (one of
 * the incident's clients), {@code severity} (exact) and {@code since} (last seen at or after, in
 * epoch ms). A bad name or value is an {@link IllegalArgumentException} whose message goes back to
 * the caller.
 */
final class IncidentQuery {
    private final SignalType type;
    private final String model;
    private final String client;
    private final Severity severity;
    private final long since;

    private IncidentQuery(
            SignalType type, String model, String client, Severity severity, long since) {
        this.type = type;
        this.model = model;
        this.client = client;
        this.severity = severity;
        this.since = since;
    }

    static IncidentQuery parse(Map<String, String> params) {
        SignalType type = null;
        String model = null;
        String client = null;
        Severity severity = null;
        long since = Long.MIN_VALUE;
        for (Map.Entry<String, String> e : params.entrySet()) {
            String v = e.getValue();
            switch (e.getKey()) {
                case "type":
                    type = SignalType.ofWireName(v);
                    break;
                case "model":
                    model = v;
                    break;
                case "client":
                    client = v;
                    break;
                case "severity":
                    severity = Severity.ofWireName(v);
                    break;
                case "since":
                    since = parseSince(v);
                    break;
                default:
                    throw new IllegalArgumentException(
                            "unknown filter '"
                                    + e.getKey()
                                    + "'; expected type, model, client, severity or since");
            }
        }
        return new IncidentQuery(type, model, client, severity, since);
    }

    private static long parseSince(String v) {
        long t;
        try {
            t = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "since must be a time in epoch milliseconds, got '" + v + "'", e);
        }
        if (t < 0) {
            throw new IllegalArgumentException("since must not be negative, got " + t);
        }
        return t;
    }

    boolean matches(Incident i) {
        return (type == null || i.type() == type)
                && (model == null || model.equals(i.model()))
                && (client == null || i.clients().contains(client))
                && (severity == null || i.severity() == severity)
                && i.lastSeen() >= since;
    }
}
