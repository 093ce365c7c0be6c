package io.mlguard.collector.report;

import io.mlguard.collector.explain.Explanation;
import io.mlguard.collector.incident.Feedback;
import io.mlguard.collector.incident.Incident;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The index of a report: collector health and one row per incident, linking to its page. */
final class IndexPage {
    /** Clients listed per row; the incident page lists them all. */
    static final int CLIENTS_SHOWN = 3;

    static final int SUMMARY_CHARS = 160;

    private IndexPage() {}

    static String render(
            List<Incident> incidents,
            Map<String, Object> health,
            long now,
            Function<String, List<Feedback>> feedback,
            ReportLinks links) {
        StringBuilder b = new StringBuilder(4096 + incidents.size() * 768);
        HtmlPage.open(b, "mlguard incidents");
        b.append("<h1>mlguard incidents</h1>\n<p class=\"stats\">Generated ")
                .append(Html.escape(ReportFormat.time(now)))
                .append(" &middot; ")
                .append(incidents.size())
                .append(incidents.size() == 1 ? " incident" : " incidents");
        for (Map.Entry<String, Object> e : health.entrySet()) {
            b.append(" &middot; ")
                    .append(Html.escape(e.getKey()))
                    .append(": ")
                    .append(Html.escape(e.getValue()));
        }
        b.append("</p>\n");
        if (incidents.isEmpty()) {
            return HtmlPage.close(b.append("<p>No incidents.</p>\n"));
        }
        b.append("<table><thead><tr><th>Severity</th><th>Incident</th><th>Model</th>")
                .append("<th>Clients</th><th>First seen</th><th>Last seen</th>")
                .append("<th>Signals</th><th>Summary</th><th>Verdict</th></tr></thead><tbody>\n");
        for (Incident i : incidents) {
            row(b, i, feedback.apply(i.id()), links);
        }
        return HtmlPage.close(b.append("</tbody></table>\n"));
    }

    private static void row(StringBuilder b, Incident i, List<Feedback> fb, ReportLinks links) {
        b.append("<tr id=\"").append(Html.escape(i.id())).append("\">");
        HtmlPage.severity(b, "td", i.severity().wireName());
        b.append("<td>");
        if (Incident.wellFormedId(i.id())) {
            b.append("<a href=\"")
                    .append(Html.escape(links.incident(i.id())))
                    .append("\">")
                    .append(Html.escape(i.type().wireName()))
                    .append("</a>");
        } else {
            b.append(Html.escape(i.type().wireName()));
        }
        b.append("<br><code>").append(Html.escape(i.id())).append("</code>");
        for (Map.Entry<String, Long> r : i.reasons().entrySet()) {
            b.append("<br>")
                    .append(Html.escape(r.getKey()))
                    .append(" &times; ")
                    .append(r.getValue());
        }
        b.append("</td><td>").append(Html.escape(i.model())).append("</td><td>");
        List<String> clients = i.clients();
        for (int k = 0; k < Math.min(CLIENTS_SHOWN, clients.size()); k++) {
            b.append("<code>").append(Html.escape(clients.get(k))).append("</code><br>");
        }
        long more = clients.size() - Math.min(CLIENTS_SHOWN, clients.size()) + i.clientsOmitted();
        if (more > 0) {
            b.append("and ").append(more).append(" more");
        }
        b.append("</td><td class=\"time\">")
                .append(Html.escape(ReportFormat.time(i.firstSeen())))
                .append("</td><td class=\"time\">")
                .append(Html.escape(ReportFormat.time(i.lastSeen())))
                .append("</td><td class=\"num\">")
                .append(i.count())
                .append("</td><td>");
        Explanation x = i.explanation();
        if (x != null) {
            String s = x.summary();
            b.append(
                    Html.escape(
                            s.length() > SUMMARY_CHARS
                                    ? s.substring(0, SUMMARY_CHARS) + "\u2026"
                                    : s));
        }
        b.append("</td><td>");
        if (!fb.isEmpty()) {
            Feedback last = fb.get(fb.size() - 1);
            b.append(Html.escape(last.verdict().wireName()));
            if (fb.size() > 1) {
                b.append(" <span class=\"muted\">(").append(fb.size()).append(" verdicts)</span>");
            }
        }
        b.append("</td></tr>\n");
    }
}
