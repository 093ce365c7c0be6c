package io.mlguard.collector.report;

import io.mlguard.collector.explain.Explanation;
import io.mlguard.collector.incident.Feedback;
import io.mlguard.collector.incident.Incident;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Renders incidents as Markdown for tickets and chat, with the same content as the HTML pages (the
 * charts as their numbers). Outside strings are escaped for Markdown and for the HTML that Markdown
 * renderers let through.
 */
public final class MarkdownReport {
    private MarkdownReport() {}

    public static String render(List<Incident> incidents, Map<String, Object> health, long now) {
        return render(incidents, health, now, id -> List.of());
    }

    /** As above, with the operators' feedback on each incident. */
    public static String render(
            List<Incident> incidents,
            Map<String, Object> health,
            long now,
            Function<String, List<Feedback>> feedback) {
        StringBuilder b = new StringBuilder();
        b.append("# mlguard incidents\n\nGenerated ")
                .append(ReportFormat.time(now))
                .append(", ")
                .append(incidents.size())
                .append(incidents.size() == 1 ? " incident" : " incidents")
                .append(".\n\n");
        for (Map.Entry<String, Object> e : health.entrySet()) {
            b.append("- ")
                    .append(escape(e.getKey()))
                    .append(": ")
                    .append(escape(e.getValue()))
                    .append('\n');
        }
        for (Incident i : incidents) {
            b.append("\n## ")
                    .append(i.severity().wireName().toUpperCase(java.util.Locale.ROOT))
                    .append(" ")
                    .append(i.type().wireName())
                    .append(" on model ")
                    .append(escape(i.model()))
                    .append("\n\n- id: ")
                    .append(escape(i.id()))
                    .append("\n- clients: ");
            if (i.clients().isEmpty()) {
                b.append("none identified");
            }
            for (int k = 0; k < i.clients().size(); k++) {
                b.append(k == 0 ? "" : ", ").append(escape(i.clients().get(k)));
            }
            if (i.clientsOmitted() > 0) {
                b.append(" and ").append(i.clientsOmitted()).append(" more");
            }
            b.append("\n- first seen: ")
                    .append(ReportFormat.time(i.firstSeen()))
                    .append("\n- last seen: ")
                    .append(ReportFormat.time(i.lastSeen()))
                    .append("\n- count: ")
                    .append(i.count())
                    .append("\n- signals:");
            for (Map.Entry<String, Long> r : i.reasons().entrySet()) {
                b.append(' ').append(escape(r.getKey())).append(" × ").append(r.getValue());
            }
            b.append("\n- timeline: ")
                    .append(ReportFormat.duration(i.timeline().bucketMillis()))
                    .append(" buckets from ")
                    .append(ReportFormat.time(i.timeline().startMillis()))
                    .append("\n- evidence:");
            for (Map.Entry<String, Object> e : i.evidence().entrySet()) {
                b.append("\n  - ")
                        .append(escape(e.getKey()))
                        .append(": ")
                        .append(escape(ReportFormat.value(e.getValue())));
            }
            Explanation x = i.explanation();
            if (x != null) {
                b.append("\n\n")
                        .append(escape(x.summary()))
                        .append("\n\n**Likely cause:** ")
                        .append(escape(x.likelyCause()));
                if (x.technique() != null) {
                    b.append("\n\n**Technique:** ")
                            .append(escape(x.technique().title()))
                            .append(" (MITRE ATLAS ")
                            .append(escape(x.technique().id()))
                            .append(")");
                }
                b.append("\n\n**Recommended actions:**\n");
                for (String a : x.recommendedActions()) {
                    b.append("\n1. ").append(escape(a));
                }
                b.append("\n\nExplained by ")
                        .append(escape(x.generatedBy()))
                        .append(" (")
                        .append(escape(x.source()))
                        .append(").");
                if (x.fallbackReason() != null) {
                    b.append(" LLM explanation not used: ").append(escape(x.fallbackReason()));
                }
                b.append('\n');
            }
            MarkdownCharts.append(b, IncidentCharts.of(i));
            List<Feedback> fb = feedback.apply(i.id());
            if (!fb.isEmpty()) {
                b.append("\n**Feedback:**\n");
                for (Feedback f : fb) {
                    b.append("\n- ")
                            .append(escape(f.verdict().wireName()))
                            .append(" (")
                            .append(ReportFormat.time(f.createdAt()))
                            .append("): ")
                            .append(escape(f.comment()));
                }
                b.append('\n');
            }
        }
        return b.toString();
    }

    /** Backslash-escapes Markdown syntax, entity-escapes HTML, and keeps the text on one line. */
    static String escape(Object o) {
        if (o == null) {
            return "";
        }
        String s = o.toString();
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '<') {
                b.append("&lt;");
            } else if (c == '>') {
                b.append("&gt;");
            } else if (c == '&') {
                b.append("&amp;");
            } else if ("\\`*_[]|~#".indexOf(c) >= 0) {
                // Outside text never starts a line here, so these are the only characters
                // that can start markup mid-line; escaping more would hurt readability.
                b.append('\\').append(c);
            } else if (Character.isISOControl(c)) {
                b.append(' ');
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
