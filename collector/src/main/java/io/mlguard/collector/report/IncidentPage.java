package io.mlguard.collector.report;

import io.mlguard.collector.incident.Feedback;
import io.mlguard.collector.incident.Incident;
import io.mlguard.collector.report.chart.Chart;
import io.mlguard.collector.report.chart.SvgChart;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One incident's page: what and when (with the signal timeline), the explanation, the charts, the
 * evidence and the operators' verdicts.
 */
final class IncidentPage {
    private IncidentPage() {}

    static String render(Incident i, List<Feedback> feedback, long now, ReportLinks links) {
        StringBuilder b = new StringBuilder(16_384);
        String heading =
                i.severity().wireName().toUpperCase(Locale.ROOT)
                        + " "
                        + i.type().wireName()
                        + " on model "
                        + i.model();
        HtmlPage.open(b, "mlguard " + i.id() + ": " + heading);
        b.append("<p><a href=\"")
                .append(Html.escape(links.indexFromIncident()))
                .append("\">&larr; all incidents</a></p>\n<h1>")
                .append(Html.escape(heading))
                .append("</h1>\n<section><dl class=\"facts\">");
        fact(b, "Incident", "<code>" + Html.escape(i.id()) + "</code>");
        b.append("<dt>Severity</dt>");
        HtmlPage.severity(b, "dd", i.severity().wireName());
        fact(b, "Model", Html.escape(i.model()));
        fact(b, "Clients", clients(i));
        fact(b, "First seen", Html.escape(ReportFormat.time(i.firstSeen())));
        fact(b, "Last seen", Html.escape(ReportFormat.time(i.lastSeen())));
        fact(b, "Signals", i.count() + " " + reasons(i));
        fact(b, "Opened by the collector", Html.escape(ReportFormat.time(i.createdAt())));
        fact(b, "Page written", Html.escape(ReportFormat.time(now)));
        b.append("</dl></section>\n<h2>Explanation</h2>\n<section>");
        ExplanationHtml.append(b, i.explanation());
        b.append("</section>\n<h2>Charts</h2>\n<div class=\"charts\">");
        for (Chart c : IncidentCharts.of(i)) {
            b.append("<figure><figcaption>")
                    .append(Html.escape(c.title()))
                    .append("</figcaption>")
                    .append(SvgChart.render(c))
                    .append("</figure>");
        }
        b.append("</div>\n<h2>Evidence</h2>\n<table><thead><tr><th>Name</th><th>Value</th></tr>")
                .append("</thead><tbody>");
        for (Map.Entry<String, Object> e : i.evidence().entrySet()) {
            b.append("<tr><td><code>")
                    .append(Html.escape(e.getKey()))
                    .append("</code></td><td><code>")
                    .append(Html.escape(ReportFormat.value(e.getValue())))
                    .append("</code></td></tr>");
        }
        b.append("</tbody></table>\n<h2>Operator feedback</h2>\n");
        feedback(b, feedback);
        return HtmlPage.close(b);
    }

    private static void fact(StringBuilder b, String name, String html) {
        b.append("<dt>").append(Html.escape(name)).append("</dt><dd>").append(html).append("</dd>");
    }

    private static String clients(Incident i) {
        if (i.clients().isEmpty()) {
            return "none identified";
        }
        StringBuilder b = new StringBuilder();
        for (String c : i.clients()) {
            b.append(b.length() == 0 ? "" : ", ")
                    .append("<code>")
                    .append(Html.escape(c))
                    .append("</code>");
        }
        if (i.clientsOmitted() > 0) {
            b.append(" and ").append(i.clientsOmitted()).append(" more");
        }
        return b.toString();
    }

    private static String reasons(Incident i) {
        StringBuilder b = new StringBuilder("(");
        for (Map.Entry<String, Long> r : i.reasons().entrySet()) {
            b.append(b.length() == 1 ? "" : ", ")
                    .append(Html.escape(r.getKey()))
                    .append(" &times; ")
                    .append(r.getValue());
        }
        return b.append(')').toString();
    }

    private static void feedback(StringBuilder b, List<Feedback> feedback) {
        if (feedback.isEmpty()) {
            b.append("<p class=\"muted\">No verdict yet.</p>\n");
            return;
        }
        b.append("<table><thead><tr><th>Verdict</th><th>When</th><th>Comment</th></tr></thead>")
                .append("<tbody>");
        for (Feedback f : feedback) {
            b.append("<tr class=\"feedback\"><td>")
                    .append(Html.escape(f.verdict().wireName()))
                    .append("</td><td>")
                    .append(Html.escape(ReportFormat.time(f.createdAt())))
                    .append("</td><td>")
                    .append(Html.escape(f.comment()))
                    .append("</td></tr>");
        }
        b.append("</tbody></table>\n");
    }
}
