package io.mlguard.collector.report;

import io.mlguard.collector.api.Health;
import io.mlguard.collector.api.IncidentJson;
import io.mlguard.collector.incident.FeedbackStore;
import io.mlguard.collector.incident.InMemoryFeedbackStore;
import io.mlguard.collector.incident.Incident;
import io.mlguard.collector.incident.IncidentStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@code index.html}, {@code incidents/{id}.html} (one page per incident), {@code
 * incidents.json} and {@code incidents.md} in a directory up to date: checked once a second,
 * rewritten only when the incidents changed, and once more on close. Each file is written to a
 * temporary file and moved into place, so a reader never sees half.
 */
public final class ReportWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReportWriter.class);

    private final Path dir;
    private final IncidentStore store;
    private final FeedbackStore feedback;
    private final Health health;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final AtomicFiles files = new AtomicFiles();
    private final IncidentPages pages;
    private long writtenVersion = -1;

    public ReportWriter(Path dir, IncidentStore store, Health health, Clock clock) {
        this(dir, store, new InMemoryFeedbackStore(), health, clock);
    }

    public ReportWriter(
            Path dir, IncidentStore store, FeedbackStore feedback, Health health, Clock clock) {
        this.dir = dir;
        this.pages = new IncidentPages(dir);
        this.store = store;
        this.feedback = feedback;
        this.health = health;
        this.clock = clock;
        this.scheduler =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "mlguard-report");
                            t.setDaemon(true);
                            return t;
                        });
    }

    /** Creates the directory, writes the reports once and starts the once-a-second check. */
    public void start() throws IOException {
        Files.createDirectories(dir);
        writeIfChanged();
        scheduler.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
    }

    private void tick() {
        try {
            writeIfChanged();
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot write reports to {}: {}", dir, e.toString());
        }
    }

    /** Writes the report files if the store or the feedback changed since the last write. */
    public synchronized boolean writeIfChanged() throws IOException {
        // Both only grow, so their sum changes whenever either does.
        long version = store.version() + feedback.version();
        if (version == writtenVersion) {
            return false;
        }
        List<Incident> incidents = store.list();
        Map<String, Object> stats = health.snapshot();
        long now = clock.millis();
        files.write(
                dir,
                "incidents.json",
                IncidentJson.MAPPER
                        .writerWithDefaultPrettyPrinter()
                        .writeValueAsString(IncidentJson.toJson(incidents, feedback)));
        files.write(
                dir,
                "incidents.md",
                MarkdownReport.render(incidents, stats, now, feedback::forIncident));
        pages.write(incidents, feedback, now, files);
        // index.html last: whoever watches it sees the rest already up to date.
        files.write(
                dir,
                "index.html",
                HtmlReport.index(incidents, stats, now, feedback::forIncident, ReportLinks.FILES));
        writtenVersion = version;
        return true;
    }

    /** Stops the periodic check and writes a last time. */
    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            writtenVersion = -1; // the final counts belong in the report even if nothing changed
        }
        tick();
    }
}
