package io.mlguard.collector.report;

import io.mlguard.collector.explain.Explanation;
import io.mlguard.collector.incident.Feedback;
import io.mlguard.collector.incident.Incident;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Renders incidents as one self-contained HTML page: inline styles only, no scripts, nothing loaded
 * from elsewhere. Every string from outside (client ids above all) is escaped with {@link
 * Html#escape}.
 */
public final class HtmlReport {
    private static final String STYLE =
            "body{font-family:system-ui,sans-serif;margin:1.5em;color:#222}"
                    + "table{border-collapse:collapse;width:100%}"
                    + "th,td{border:1px solid #ccc;padding:.4em;vertical-align:top;text-align:left}"
                    + "th{background:#f0f0f0}"
                    + ".sev{font-weight:bold;text-transform:uppercase}"
                    + ".critical{background:#f8d0d0}.high{background:#fde3c8}"
                    + ".medium{background:#fff5c0}.low{background:#e6f2e6}"
                    + "dl{margin:0}dt{font-weight:bold;float:left;clear:left;margin-right:.4em}"
                    + "dd{margin:0}code{word-break:break-all}"
                    + ".stats{color:#555}";

    private HtmlReport() {}

    /** The page for these incidents; {@code health} is shown above the table. */
    public static String render(List<Incident> incidents, Map<String, Object> health, long now) {
        return render(incidents, health, now, id -> List.of());
    }

    /** As above, with the operators' feedback on each incident. */
    public static String render(
            List<Incident> incidents,
            Map<String, Object> health,
            long now,
            Function<String, List<Feedback>> feedback) {
        StringBuilder b = new StringBuilder(4096 + incidents.size() * 1024);
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append(
                        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src"
                                + " 'none'; style-src 'unsafe-inline'\">")
                .append("<title>mlguard incidents</title><style>")
                .append(STYLE)
                .append("</style></head><body>\n<h1>mlguard incidents</h1>\n<p class=\"stats\">")
                .append("Generated ")
                .append(Html.escape(ReportFormat.time(now)))
                .append(" &middot; ")
                .append(incidents.size())
                .append(" incident")
                .append(incidents.size() == 1 ? "" : "s");
        for (Map.Entry<String, Object> e : health.entrySet()) {
            b.append(" &middot; ")
                    .append(Html.escape(e.getKey()))
                    .append(": ")
                    .append(Html.escape(e.getValue()));
        }
        b.append("</p>\n");
        if (incidents.isEmpty()) {
            b.append("<p>No incidents.</p>\n");
        } else {
            b.append("<table><thead><tr><th>Severity</th><th>Type</th><th>Model</th>")
                    .append("<th>Clients</th><th>First seen</th><th>Last seen</th>")
                    .append("<th>Count</th><th>Evidence</th><th>Explanation</th></tr></thead>")
                    .append("<tbody>\n");
            for (Incident i : incidents) {
                row(b, i, feedback.apply(i.id()));
            }
            b.append("</tbody></table>\n");
        }
        return b.append("</body></html>\n").toString();
    }

    private static void row(StringBuilder b, Incident i, List<Feedback> feedback) {
        String sev = i.severity().wireName();
        b.append("<tr id=\"")
                .append(Html.escape(i.id()))
                .append("\"><td class=\"sev ")
                .append(sev)
                .append("\">")
                .append(sev)
                .append("</td><td>")
                .append(Html.escape(i.type().wireName()))
                .append("<br><code>")
                .append(Html.escape(i.id()))
                .append("</code>");
        for (Map.Entry<String, Long> r : i.reasons().entrySet()) {
            b.append("<br>")
                    .append(Html.escape(r.getKey()))
                    .append(" &times; ")
                    .append(r.getValue());
        }
        b.append("</td><td>").append(Html.escape(i.model())).append("</td><td>");
        for (String c : i.clients()) {
            b.append("<code>").append(Html.escape(c)).append("</code><br>");
        }
        if (i.clientsOmitted() > 0) {
            b.append("and ").append(i.clientsOmitted()).append(" more");
        }
        b.append("</td><td>")
                .append(Html.escape(ReportFormat.time(i.firstSeen())))
                .append("</td><td>")
                .append(Html.escape(ReportFormat.time(i.lastSeen())))
                .append("</td><td>")
                .append(i.count())
                .append("</td><td><dl>");
        for (Map.Entry<String, Object> e : i.evidence().entrySet()) {
            b.append("<dt>")
                    .append(Html.escape(e.getKey()))
                    .append("</dt><dd><code>")
                    .append(Html.escape(ReportFormat.value(e.getValue())))
                    .append("</code></dd>");
        }
        b.append("</dl></td><td>");
        Explanation x = i.explanation();
        if (x != null) {
            b.append("<p>")
                    .append(Html.escape(x.summary()))
                    .append("</p><p><b>Likely cause:</b> ")
                    .append(Html.escape(x.likelyCause()))
                    .append("</p><ul>");
            for (String a : x.recommendedActions()) {
                b.append("<li>").append(Html.escape(a)).append("</li>");
            }
            b.append("</ul><small>by ").append(Html.escape(x.generatedBy())).append("</small>");
        }
        for (Feedback f : feedback) {
            b.append("<p class=\"feedback\"><b>Feedback:</b> ")
                    .append(Html.escape(f.verdict().wireName()))
                    .append(" (")
                    .append(Html.escape(ReportFormat.time(f.createdAt())))
                    .append(") ")
                    .append(Html.escape(f.comment()))
                    .append("</p>");
        }
        b.append("</td></tr>\n");
    }
}
