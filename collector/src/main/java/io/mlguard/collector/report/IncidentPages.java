package io.mlguard.collector.report;

import io.mlguard.collector.explain.Explanation;
import io.mlguard.collector.incident.Feedback;
import io.mlguard.collector.incident.FeedbackStore;
import io.mlguard.collector.incident.Incident;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keeps {@code incidents/{id}.html} in a report directory in step with the store: a page is
 * rewritten only when its incident or the feedback on it changed, and removed when the incident
 * left the store. Only well-formed ids become file names. Not thread-safe: {@link ReportWriter}
 * calls it under its lock.
 */
final class IncidentPages {
    static final String DIR = "incidents";

    /** What each page on disk was written from, to skip unchanged ones. */
    private final Map<String, String> written = new HashMap<>();

    private final Path dir;
    private boolean earlierRunCleaned;

    IncidentPages(Path reportDir) {
        this.dir = reportDir.resolve(DIR);
    }

    void write(List<Incident> incidents, FeedbackStore feedback, long now, AtomicFiles files)
            throws IOException {
        Files.createDirectories(dir);
        Set<String> live = new HashSet<>();
        for (Incident i : incidents) {
            if (!Incident.wellFormedId(i.id())) {
                continue; // never a file name from an unexpected string
            }
            live.add(i.id());
            List<Feedback> fb = feedback.forIncident(i.id());
            String key = key(i, fb);
            if (!key.equals(written.get(i.id()))) {
                files.write(
                        dir, i.id() + ".html", HtmlReport.incident(i, fb, now, ReportLinks.FILES));
                written.put(i.id(), key);
            }
        }
        for (String gone : new HashSet<>(written.keySet())) {
            if (!live.contains(gone)) {
                Files.deleteIfExists(dir.resolve(gone + ".html")); // evicted from the store
                written.remove(gone);
            }
        }
        if (!earlierRunCleaned) {
            removeLeftovers(live);
            earlierRunCleaned = true;
        }
    }

    /** Pages an earlier run wrote for incidents the store no longer has. */
    private void removeLeftovers(Set<String> live) throws IOException {
        try (DirectoryStream<Path> pages = Files.newDirectoryStream(dir, "inc-*.html")) {
            for (Path p : pages) {
                String name = p.getFileName().toString();
                String id = name.substring(0, name.length() - ".html".length());
                if (Incident.wellFormedId(id) && !live.contains(id)) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** Everything a page shows that can change, except the time it was written. */
    private static String key(Incident i, List<Feedback> fb) {
        Explanation x = i.explanation();
        return String.valueOf(
                java.util.Arrays.asList(
                        i.count(),
                        i.updatedAt(),
                        i.lastSeen(),
                        i.severity(),
                        i.clients().size(),
                        i.clientsOmitted(),
                        x == null ? null : x.summary(),
                        x == null ? null : x.source(),
                        x == null ? null : x.generatedBy(),
                        x == null ? null : x.fallbackReason(),
                        fb.size()));
    }
}
