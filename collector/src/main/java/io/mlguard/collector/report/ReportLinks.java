package io.mlguard.collector.report;

/**
 * Where the pages of a report link to each other: relative links, so a report works the same from
 * the HTTP API ({@code /report} and {@code /report/{id}}) and from files in {@code --report-dir}
 * ({@code index.html} and {@code incidents/{id}.html}). Ids in links are validated ones.
 */
public record ReportLinks(String indexFromIncident, String incidentPrefix, String incidentSuffix) {
    /** As served by the API: {@code /report} links to {@code /report/{id}} and back. */
    public static final ReportLinks HTTP = new ReportLinks("../report", "report/", "");

    /** As written to the report directory. */
    public static final ReportLinks FILES = new ReportLinks("../index.html", "incidents/", ".html");

    /** The link from the index to one incident's page. */
    public String incident(String id) {
        return incidentPrefix + id + incidentSuffix;
    }
}
