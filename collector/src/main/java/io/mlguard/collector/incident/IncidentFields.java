package io.mlguard.collector.incident;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The fields of an {@link Incident} that every JSON form of it carries under the same names: the
 * stored document ({@link IncidentCodec}), the API's and reports' JSON, and notification bodies.
 * One writer keeps those names from drifting apart; each form adds its own fields around them.
 */
public final class IncidentFields {
    private IncidentFields() {}

    /** {@code id, type, severity, model, clients, clientsOmitted}. */
    public static void identity(ObjectNode n, Incident i) {
        n.put("id", i.id());
        n.put("type", i.type().wireName());
        n.put("severity", i.severity().wireName());
        n.put("model", i.model());
        ArrayNode clients = n.putArray("clients");
        i.clients().forEach(clients::add);
        n.put("clientsOmitted", i.clientsOmitted());
    }

    /** {@code firstSeen, lastSeen, createdAt, updatedAt, count}. */
    public static void times(ObjectNode n, Incident i) {
        n.put("firstSeen", i.firstSeen());
        n.put("lastSeen", i.lastSeen());
        n.put("createdAt", i.createdAt());
        n.put("updatedAt", i.updatedAt());
        n.put("count", i.count());
    }

    /**
     * {@code firstRecordIndex, lastRecordIndex}: the queue indexes of the earliest and latest
     * records whose signals joined the incident, so a reader of the queue can tell which records
     * (and so which clients' traffic) contributed, including records that joined an incident opened
     * earlier by someone else.
     */
    public static void recordRange(ObjectNode n, Incident i) {
        n.put("firstRecordIndex", i.firstRecordIndex());
        n.put("lastRecordIndex", i.lastRecordIndex());
    }

    /** {@code evidence} and {@code reasons}: the numbers behind the decision. */
    public static void evidence(ObjectNode n, Incident i, ObjectMapper mapper) {
        n.set("evidence", mapper.valueToTree(i.evidence()));
        n.set("reasons", mapper.valueToTree(i.reasons()));
    }

    /** {@code timeline}: the signal count over time, as the report's chart draws it. */
    public static void timeline(ObjectNode n, Incident i) {
        ObjectNode t = n.putObject("timeline");
        t.put("startMillis", i.timeline().startMillis());
        t.put("bucketMillis", i.timeline().bucketMillis());
        ArrayNode counts = t.putArray("counts");
        for (long c : i.timeline().counts()) {
            counts.add(c);
        }
    }
}
