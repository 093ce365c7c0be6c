package io.mlguard.collector.report;

import static io.mlguard.collector.TestRecords.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.mlguard.collector.api.Health;
import io.mlguard.collector.detect.Severity;
import io.mlguard.collector.detect.Signal;
import io.mlguard.collector.detect.SignalType;
import io.mlguard.collector.explain.AtlasTechnique;
import io.mlguard.collector.explain.Explanation;
import io.mlguard.collector.explain.ResponseAction;
import io.mlguard.collector.incident.InMemoryFeedbackStore;
import io.mlguard.collector.incident.InMemoryIncidentStore;
import io.mlguard.collector.incident.Incident;
import io.mlguard.collector.incident.IncidentManager;
import io.mlguard.collector.ingest.IngestStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IncidentPagesTest {
    private static final String REASON = "LLM answer cited <missing> evidence";

    @TempDir Path dir;

    private final AtomicLong now = new AtomicLong(T0);
    private final Clock clock =
            new Clock() {
                @Override
                public ZoneOffset getZone() {
                    return ZoneOffset.UTC;
                }

                @Override
                public Clock withZone(java.time.ZoneId zone) {
                    return this;
                }

                @Override
                public Instant instant() {
                    return Instant.ofEpochMilli(now.get());
                }
            };
    private final InMemoryIncidentStore store = new InMemoryIncidentStore();
    private final IncidentManager manager =
            new IncidentManager(store, i -> fallback(), clock, Duration.ofMinutes(10), 100);
    private final Health health = new Health(new IngestStats(), store, manager::droppedIncidents);

    private static Explanation fallback() {
        return new Explanation(
                "Client sent near-duplicates",
                "a black-box attack",
                List.of("throttle"),
                "deterministic",
                Explanation.SOURCE_DETERMINISTIC,
                AtlasTechnique.values()[0],
                Severity.HIGH,
                0.6,
                List.of(ResponseAction.INVESTIGATE),
                List.of("nearDuplicates"),
                REASON);
    }

    private Incident raise(String client, long index) {
        manager.accept(
                Signal.builder(SignalType.QUERY_ATTACK, Severity.HIGH, "near_duplicate_queries")
                        .model("mnist")
                        .client(client)
                        .record(index, T0 + index)
                        .evidence("nearDuplicates", 20L)
                        .build());
        return store.list().stream().filter(i -> i.clients().contains(client)).findFirst().get();
    }

    @Test
    void pagesAreWrittenOnChangeAndRemovedWithTheirIncident() throws Exception {
        Path pages = dir.resolve("incidents");
        Files.createDirectories(pages);
        Path leftover = pages.resolve("inc-0000000000000000.html");
        Files.writeString(leftover, "from an earlier run");
        Path notOurs = pages.resolve("notes.txt");
        Files.writeString(notOurs, "kept");

        try (ReportWriter writer =
                new ReportWriter(dir, store, new InMemoryFeedbackStore(), health, clock)) {
            Incident a = raise("a", 1);
            writer.start();
            Path pageA = pages.resolve(a.id() + ".html");
            String first = Files.readString(pageA);
            assertThat(leftover).doesNotExist();
            assertThat(notOurs).exists();

            now.addAndGet(60_000); // a later write would show a later time on a rewritten page
            Incident b = raise("b", 2);
            assertThat(writer.writeIfChanged()).isTrue();
            assertThat(Files.readString(pageA))
                    .as("unchanged incident, page not rewritten")
                    .isEqualTo(first);
            assertThat(pages.resolve(b.id() + ".html")).exists();

            raise("a", 3);
            assertThat(writer.writeIfChanged()).isTrue();
            assertThat(Files.readString(pageA))
                    .isNotEqualTo(first)
                    .contains("near_duplicate_queries &times; 2");

            store.remove(a.id());
            assertThat(writer.writeIfChanged()).isTrue();
            assertThat(pageA).doesNotExist();
            assertThat(pages.resolve(b.id() + ".html")).exists();
        }
    }

    @Test
    void theFallbackReasonIsShownEscapedInHtmlAndMarkdown() {
        Incident a = raise("a", 1);
        String html = HtmlReport.incident(a, List.of(), T0, ReportLinks.FILES);
        assertThat(html)
                .contains("LLM explanation not used:</b> LLM answer cited &lt;missing&gt; evidence")
                .contains("MITRE ATLAS <code>" + AtlasTechnique.values()[0].id() + "</code>")
                .contains("confidence 0.60")
                .contains("No verdict yet.");
        String md = MarkdownReport.render(store.list(), java.util.Map.of(), T0);
        assertThat(md)
                .contains("LLM explanation not used: LLM answer cited &lt;missing&gt; evidence");
    }

    @Test
    void malformedChartEvidenceGivesNoChartAndNoError() {
        manager.accept(
                Signal.builder(SignalType.DATA_DRIFT, Severity.MEDIUM, "window_shift")
                        .model("m")
                        .record(9, T0)
                        .evidence("binUpperEdges", "not a list")
                        .evidence("referenceShares", new double[] {1})
                        .evidence("recentShares", new double[] {Double.NaN, 2})
                        .build());
        Incident drift =
                store.list().stream()
                        .filter(i -> i.type() == SignalType.DATA_DRIFT)
                        .findFirst()
                        .get();
        assertThat(IncidentCharts.of(drift)).hasSize(1); // the timeline only
        assertThat(HtmlReport.incident(drift, List.of(), T0, ReportLinks.HTTP))
                .contains("Signals over time");
    }
}
