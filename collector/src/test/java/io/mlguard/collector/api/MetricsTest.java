package io.mlguard.collector.api;

import static io.mlguard.collector.TestRecords.T0;
import static io.mlguard.collector.TestRecords.inference;
import static io.mlguard.collector.TestRecords.nanInference;
import static org.assertj.core.api.Assertions.assertThat;

import io.mlguard.collector.Collector;
import io.mlguard.collector.QueueFixture;
import io.mlguard.collector.config.CollectorConfig;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /metrics} of a real collector after a known set of records. */
class MetricsTest {
    @TempDir Path tmp;

    @Test
    void countsRecordsSignalsIncidentsAndCommits() throws Exception {
        Path queue = tmp.resolve("queue");
        try (QueueFixture q = new QueueFixture(queue)) {
            for (int i = 0; i < 5; i++) {
                q.write(inference("m", "good", T0 + i, 0, 1));
            }
            q.write(nanInference("m", "bad", T0 + 10));
            q.write(nanInference("m", "bad", T0 + 11));
            q.writeUnknownVersion();
        }
        try (Collector c = Collector.start(CollectorConfig.of(queue, 0).withReferenceWindow(5))) {
            String body =
                    MetricsScrape.until(
                            c,
                            m ->
                                    m.contains("mlguard_records_read_total 8\n")
                                            && !m.contains(
                                                    "mlguard_store_commit_seconds_count 0\n"),
                            Duration.ofSeconds(20));
            assertThat(body)
                    .contains("# TYPE mlguard_records_read_total counter\n")
                    .contains("mlguard_records_read_total 8\n")
                    .contains("mlguard_records_total{kind=\"inference\"} 7\n")
                    .contains("mlguard_malformed_records_total{reason=\"unsupported_version\"} 1\n")
                    .contains("mlguard_detector_signals_total{detector=\"invalid-input\"} 2\n")
                    .contains("mlguard_incidents{type=\"invalid_input\",severity=\"high\"} 1\n")
                    .contains(
                            "mlguard_incidents{type=\"model_substitution\",severity=\"critical\"} 0\n")
                    .contains("mlguard_record_processing_seconds_count 7\n")
                    .contains("mlguard_record_processing_seconds_bucket{le=\"+Inf\"} 7\n")
                    .contains("# TYPE mlguard_store_commit_seconds histogram\n")
                    .contains("mlguard_ingest_lag_records 0\n")
                    .contains("mlguard_store_commit_failures_total 0\n");
            assertThat(body).doesNotContain("mlguard_store_commit_seconds_count 0\n");
            // every sample line is "name{labels} number"
            for (String line : body.split("\n")) {
                if (!line.startsWith("#")) {
                    assertThat(line).matches("[a-z_]+(\\{[^}]*\\})? -?[0-9.E+-]+");
                }
            }
        }
    }
}
