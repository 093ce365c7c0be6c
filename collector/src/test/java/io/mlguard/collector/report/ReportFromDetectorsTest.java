package io.mlguard.collector.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlguard.collector.api.IncidentJson;
import io.mlguard.collector.incident.Incident;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report a real collector writes for incidents its detectors raised (see DetectedIncidents).
 */
class ReportFromDetectorsTest {
    @TempDir static Path tmp;
    private static DetectedIncidents.Result result;

    @BeforeAll
    static void detect() throws Exception {
        result = DetectedIncidents.run(tmp);
    }

    @Test
    void theQueryAttackPageDrawsTheClientsNearDuplicatesAndEscapesItsId() throws Exception {
        Incident attack = result.ofType("query_attack");
        String html = Files.readString(result.page(attack));

        assertThat(html)
                .contains("Near-duplicates among earlier queries")
                .contains("<path class=\"line\"")
                .contains("class=\"threshold\"")
                .contains("Signals over time")
                .contains("&lt;img src=x onerror=alert(1)&gt;&lt;script&gt;")
                .doesNotContain("<img")
                .doesNotContain("<script")
                .contains("true_positive")
                .contains("&lt;b onmouseover=alert(3)&gt;looks real&lt;/b&gt;");
        assertThat(count(html, "<svg")).isEqualTo(2);
    }

    @Test
    void theDriftPageComparesReferenceAndRecentDistributions() throws Exception {
        Incident drift = result.ofType("data_drift");
        String html = Files.readString(result.page(drift));

        assertThat(html)
                .contains(": reference vs recent")
                .contains(">reference<")
                .contains(">recent<");
        assertThat(count(html, "class=\"bar\"")).isGreaterThan(10);
        assertThat(count(html, "<svg")).isEqualTo(2);
    }

    @Test
    void jsonAndMarkdownCarryTheSameChartData() throws Exception {
        JsonNode json =
                IncidentJson.MAPPER.readTree(result.reportDir().resolve("incidents.json").toFile());
        Incident drift = result.ofType("data_drift");
        JsonNode d = null;
        for (JsonNode n : json) {
            if (n.get("id").asText().equals(drift.id())) {
                d = n;
            }
        }
        assertThat(d).isNotNull();
        assertThat(d.at("/evidence/referenceShares").isArray()).isTrue();
        assertThat(d.at("/evidence/recentShares").size())
                .isEqualTo(d.at("/evidence/referenceShares").size());
        assertThat(d.at("/timeline/counts").isArray()).isTrue();
        long total = 0;
        for (JsonNode c : d.at("/timeline/counts")) {
            total += c.asLong();
        }
        assertThat(total).isEqualTo(d.get("count").asLong());

        String md = Files.readString(result.reportDir().resolve("incidents.md"));
        assertThat(md)
                .contains("reference vs recent**")
                .contains("| reference | recent |")
                .contains("near-duplicates per query")
                .doesNotContain("<img")
                .doesNotContain("<script");
    }

    @Test
    void theIndexLinksEveryIncidentsPage() throws Exception {
        String index = Files.readString(result.reportDir().resolve("index.html"));
        for (Incident i : result.incidents()) {
            assertThat(index).contains("href=\"incidents/" + i.id() + ".html\"");
            assertThat(result.page(i)).exists();
        }
        assertThat(index).doesNotContain("<img").doesNotContain("<script");
    }

    static int count(String s, String part) {
        int n = 0;
        for (int at = s.indexOf(part); at >= 0; at = s.indexOf(part, at + 1)) {
            n++;
        }
        return n;
    }
}
