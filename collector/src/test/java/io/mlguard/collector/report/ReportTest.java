package io.mlguard.collector.report;

import static io.mlguard.collector.TestRecords.T0;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlguard.collector.api.Health;
import io.mlguard.collector.api.IncidentJson;
import io.mlguard.collector.detect.Severity;
import io.mlguard.collector.detect.Signal;
import io.mlguard.collector.detect.SignalType;
import io.mlguard.collector.explain.DeterministicExplainer;
import io.mlguard.collector.incident.InMemoryIncidentStore;
import io.mlguard.collector.incident.IncidentManager;
import io.mlguard.collector.ingest.IngestStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {
    private static final String XSS = "<script>alert(1)</script>";

    @TempDir Path dir;

    private final InMemoryIncidentStore store = new InMemoryIncidentStore();
    private final IncidentManager manager =
            new IncidentManager(
                    store,
                    new DeterministicExplainer(),
                    Clock.systemUTC(),
                    Duration.ofMinutes(10),
                    100);
    private final Health health = new Health(new IngestStats(), store, manager::droppedIncidents);

    private void hostileIncident() {
        manager.accept(
                Signal.builder(SignalType.INVALID_INPUT, Severity.HIGH, "nan_or_inf")
                        .model("m\"><img src=x onerror=alert(2)>")
                        .client(XSS)
                        .record(1, T0)
                        .evidence("input", "<b>in</b>")
                        .evidence("nanCount", 3L)
                        .build());
    }

    @Test
    void everyStringInTheHtmlIsEscaped() {
        hostileIncident();
        String html = HtmlReport.render(store.list(), health.snapshot(), T0);

        assertThat(html)
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;")
                .doesNotContain(XSS)
                .doesNotContain("<img")
                .doesNotContain("<b>in</b>")
                .contains("m&quot;&gt;&lt;img src=x onerror=alert(2)&gt;")
                .doesNotContain("<script")
                .doesNotContain("src=\"http")
                .doesNotContain("href=\"http")
                .doesNotContain("href=\"/")
                .contains("Content-Security-Policy")
                .contains("nan_or_inf")
                .contains(">high<")
                .contains("2023-11-14 22:13:20 UTC");
    }

    @Test
    void markdownEscapesHtmlAndMarkup() {
        hostileIncident();
        String md = MarkdownReport.render(store.list(), health.snapshot(), T0);

        assertThat(md).doesNotContain(XSS).doesNotContain("<img").contains("&lt;script&gt;");
        assertThat(MarkdownReport.escape("a*b_[c](d)`e`|\n"))
                .isEqualTo("a\\*b\\_\\[c\\](d)\\`e\\`\\| ");
    }

    @Test
    void writerWritesTheThreeFilesAndRewritesOnlyOnChange() throws Exception {
        ReportWriter writer =
                new ReportWriter(dir.resolve("out"), store, health, Clock.systemUTC());
        writer.start();
        try {
            Path index = dir.resolve("out/index.html");
            assertThat(index).exists().content().contains("No incidents.");
            assertThat(writer.writeIfChanged()).isFalse();

            hostileIncident();
            assertThat(writer.writeIfChanged()).isTrue();

            assertThat(Files.readString(index)).contains("&lt;script&gt;").doesNotContain(XSS);
            JsonNode json =
                    IncidentJson.MAPPER.readTree(dir.resolve("out/incidents.json").toFile());
            assertThat(json).hasSize(1);
            assertThat(json.get(0).get("clients").get(0).asText()).isEqualTo(XSS);
            assertThat(dir.resolve("out/incidents.md")).content().contains("nan\\_or\\_inf");
            try (var files = Files.list(dir.resolve("out"))) {
                assertThat(files.map(p -> p.getFileName().toString()))
                        .containsExactlyInAnyOrder(
                                "index.html", "incidents.json", "incidents.md", "incidents");
            }
            String id = store.list().get(0).id();
            Path page = dir.resolve("out/incidents/" + id + ".html");
            assertThat(page).exists();
            assertThat(Files.readString(page))
                    .contains("&lt;script&gt;")
                    .doesNotContain(XSS)
                    .contains("href=\"../index.html\"");
            assertThat(Files.readString(index)).contains("href=\"incidents/" + id + ".html\"");
        } finally {
            writer.close();
        }
    }

    @Test
    void incidentJsonHasTheContractFieldNames() {
        hostileIncident();
        JsonNode n = IncidentJson.toJson(store.list().get(0));

        assertThat(n.fieldNames())
                .toIterable()
                .contains(
                        "id",
                        "type",
                        "severity",
                        "model",
                        "clients",
                        "firstSeen",
                        "lastSeen",
                        "createdAt",
                        "count",
                        "evidence",
                        "explanation");
        assertThat(n.get("type").asText()).isEqualTo("invalid_input");
        assertThat(n.get("severity").asText()).isEqualTo("high");
        assertThat(n.get("evidence").get("nanCount").asLong()).isEqualTo(3);
        assertThat(n.get("explanation").fieldNames())
                .toIterable()
                .contains("summary", "likelyCause", "recommendedActions", "generatedBy")
                // Added by the structured explanation; the contract allows new fields.
                .contains("source", "techniqueId", "actions", "citedEvidence");
        assertThat(n.at("/explanation/source").asText()).isEqualTo("deterministic");
        assertThat(n.at("/explanation/techniqueId").asText()).isEqualTo("AML.T0043");
        assertThat(health.snapshot()).isInstanceOf(Map.class);
    }
}
