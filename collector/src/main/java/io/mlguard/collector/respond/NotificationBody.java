package io.mlguard.collector.respond;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mlguard.collector.incident.Incident;
import io.mlguard.collector.incident.IncidentFields;
import java.time.Instant;

/**
 * The body of a notification about an incident, in the receiver's format. Client ids and model
 * names come from the monitored traffic and may be hostile: JSON encoding keeps them data, and the
 * Slack text escapes the characters Slack would read as markup or mentions.
 */
final class NotificationBody {
    private static final ObjectMapper JSON = new ObjectMapper();

    private NotificationBody() {}

    static String render(Notifier.Format format, Incident incident, String reportUrl) {
        return switch (format) {
            case WEBHOOK -> webhook(incident, reportUrl).toString();
            case SLACK -> slack(incident, reportUrl).toString();
            case ALERTMANAGER -> alertmanager(incident, reportUrl).toString();
        };
    }

    private static ObjectNode webhook(Incident i, String reportUrl) {
        ObjectNode n = JSON.createObjectNode();
        n.put("source", "mlguard");
        IncidentFields.identity(n, i);
        IncidentFields.times(n, i);
        n.put("summary", summary(i));
        if (reportUrl != null) {
            n.put("report", reportUrl);
        }
        return n;
    }

    private static ObjectNode slack(Incident i, String reportUrl) {
        StringBuilder text = new StringBuilder();
        text.append("*mlguard ")
                .append(i.severity().wireName())
                .append("*: ")
                .append(i.type().wireName())
                .append(" on model `")
                .append(slackEscape(i.model()))
                .append("` (")
                .append(i.id())
                .append(")\n")
                .append(slackEscape(summary(i)));
        if (reportUrl != null) {
            text.append("\n").append(slackEscape(reportUrl));
        }
        ObjectNode n = JSON.createObjectNode();
        n.put("text", text.toString());
        return n;
    }

    private static ArrayNode alertmanager(Incident i, String reportUrl) {
        ArrayNode alerts = JSON.createArrayNode();
        ObjectNode alert = alerts.addObject();
        ObjectNode labels = alert.putObject("labels");
        labels.put("alertname", "mlguard_" + i.type().wireName());
        labels.put("severity", i.severity().wireName());
        labels.put("model", i.model());
        labels.put("incident", i.id());
        ObjectNode annotations = alert.putObject("annotations");
        annotations.put("summary", summary(i));
        annotations.put("clients", String.join(", ", i.clients()));
        alert.put("startsAt", Instant.ofEpochMilli(i.firstSeen()).toString());
        if (reportUrl != null) {
            alert.put("generatorURL", reportUrl);
        }
        return alerts;
    }

    private static String summary(Incident i) {
        if (i.explanation() != null && i.explanation().summary() != null) {
            return i.explanation().summary();
        }
        return i.count() + " " + i.type().wireName() + " signals on model " + i.model();
    }

    /** Slack's three control characters; also breaks {@code <!channel>}-style mentions. */
    static String slackEscape(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
