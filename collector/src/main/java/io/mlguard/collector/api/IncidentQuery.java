package io.mlguard.collector.api;

import io.mlguard.collector.detect.Severity;
import io.mlguard.collector.detect.SignalType;
import io.mlguard.collector.incident.Incident;
import java.util.Map;

/**
 * The filters of {@code GET /api/incidents}: {@code type}, {@code model}, {@code client} (one of
 * the incident's clients), {@code severity} (exact) and {@code since} (last seen at or after, in
 * epoch ms), and the page: {@code limit} (default 100, at most 1000) incidents from {@code offset}
 * (default 0) of the newest-first list. A bad name or value is an {@link IllegalArgumentException}
 * whose message goes back to the caller.
 */
final class IncidentQuery {
    private final SignalType type;
    private final String model;
    private final String client;
    private final Severity severity;
    private final long since;
    private int limit = DEFAULT_LIMIT;
    private int offset;

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

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
        int limit = DEFAULT_LIMIT;
        int offset = 0;
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
                case "limit":
                    limit = parseInt("limit", v, 1, MAX_LIMIT);
                    break;
                case "offset":
                    offset = parseInt("offset", v, 0, Integer.MAX_VALUE);
                    break;
                default:
                    throw new IllegalArgumentException(
                            "unknown parameter '"
                                    + cut(e.getKey())
                                    + "'; expected type, model, client, severity, since, limit or"
                                    + " offset");
            }
        }
        IncidentQuery q = new IncidentQuery(type, model, client, severity, since);
        q.limit = limit;
        q.offset = offset;
        return q;
    }

    private static int parseInt(String name, String v, int min, int max) {
        long n;
        try {
            n = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    name + " must be a whole number, got '" + cut(v) + "'", e);
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException(
                    name + " must be between " + min + " and " + max + ", got " + n);
        }
        return (int) n;
    }

    private static String cut(String s) {
        String c = s.length() > 60 ? s.substring(0, 60) + "..." : s;
        return c.replaceAll("\\p{Cntrl}", "?");
    }

    int limit() {
        return limit;
    }

    int offset() {
        return offset;
    }

    private static long parseSince(String v) {
        long t;
        try {
            t = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "since must be a time in epoch milliseconds, got '" + cut(v) + "'", e);
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
