package io.mlguard.collector.report;

import io.mlguard.collector.incident.Feedback;
import io.mlguard.collector.incident.Incident;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The HTML report: an index page and a page per incident, each self-contained (inline styles and
 * SVG charts, no script, nothing loaded from elsewhere, a Content-Security-Policy that forbids
 * both). Every string from outside (client ids, model names, evidence, comments, LLM text) is
 * escaped with {@link Html#escape}, in SVG text too.
 */
public final class HtmlReport {
    /** The policy of every page, for servers that also send it as a header. */
    public static final String CONTENT_SECURITY_POLICY = HtmlPage.CSP;

    private HtmlReport() {}

    /** The index as served by the API at {@code /report}. */
    public static String render(List<Incident> incidents, Map<String, Object> health, long now) {
        return render(incidents, health, now, id -> List.of());
    }

    /** As above, with the operators' feedback on each incident. */
    public static String render(
            List<Incident> incidents,
            Map<String, Object> health,
            long now,
            Function<String, List<Feedback>> feedback) {
        return index(incidents, health, now, feedback, ReportLinks.HTTP);
    }

    /** The index page; {@code health} is shown above the table. */
    public static String index(
            List<Incident> incidents,
            Map<String, Object> health,
            long now,
            Function<String, List<Feedback>> feedback,
            ReportLinks links) {
        return IndexPage.render(incidents, health, now, feedback, links);
    }

    /** One incident's page with its charts and the feedback on it (oldest first). */
    public static String incident(
            Incident incident, List<Feedback> feedback, long now, ReportLinks links) {
        return IncidentPage.render(incident, feedback, now, links);
    }
}
