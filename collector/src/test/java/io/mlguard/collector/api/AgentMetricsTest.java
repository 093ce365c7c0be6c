package io.mlguard.collector.api;

import static io.mlguard.collector.TestRecords.T0;
import static io.mlguard.collector.TestRecords.inference;
import static org.assertj.core.api.Assertions.assertThat;

import io.mlguard.collector.Collector;
import io.mlguard.collector.config.CollectorConfig;
import io.mlguard.protocol.AgentStatsRecord;
import java.nio.file.Path;
import java.time.Duration;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agents' own counters reach {@code /metrics}, the latest report of each agent. */
class AgentMetricsTest {
    @TempDir Path tmp;

    static AgentStatsRecord stats(String agent, long t, long written, boolean paused) {
        AgentStatsRecord r = new AgentStatsRecord();
        r.timestampMillis = t;
        r.agentId = agent;
        r.inferencesRecorded = written;
        r.modelLoadsRecorded = 1;
        r.recordsDropped = 3;
        r.internalErrors = 2;
        r.capturePaused = paused;
        r.capturePauses = paused ? 1 : 0;
        r.captureSamples = 4;
        r.captureSampleNanos = 2_000_000_000L;
        r.recordsWrittenInline = written / 5;
        r.inferencesNotSampled = written * 3;
        return r;
    }

    @Test
    void latestReportPerAgentIsExposed() throws Exception {
        Path queue = tmp.resolve("queue");
        try (ChronicleQueue q = ChronicleQueue.singleBuilder(queue).build()) {
            ExcerptAppender a = q.createAppender();
            Object[] records = {
                stats("1@a", T0, 10, false),
                inference("m", "c", T0 + 1, 0, 1),
                stats("2@b\"x", T0 + 2, 5, true),
                stats("1@a", T0 + 3, 20, false)
            };
            for (Object r : records) {
                try (DocumentContext dc = a.writingDocument()) {
                    if (r instanceof AgentStatsRecord) {
                        ((AgentStatsRecord) r).writeTo(dc.wire().bytes());
                    } else {
                        ((io.mlguard.protocol.InferenceRecord) r).writeTo(dc.wire().bytes());
                    }
                }
            }
        }
        try (Collector c = Collector.start(CollectorConfig.of(queue, 0))) {
            String body =
                    MetricsScrape.until(
                            c,
                            m ->
                                    m.contains(
                                            "mlguard_agent_records_written_total{agent=\"1@a\"} 21\n"),
                            Duration.ofSeconds(60));
            assertThat(body)
                    .contains("# TYPE mlguard_agent_records_written_total counter\n")
                    .contains("mlguard_agent_records_written_total{agent=\"1@a\"} 21\n")
                    .contains("mlguard_agent_records_written_total{agent=\"2@b\\\"x\"} 6\n")
                    .contains("mlguard_agent_records_dropped_total{agent=\"1@a\"} 3\n")
                    .contains("mlguard_agent_errors_total{agent=\"1@a\"} 2\n")
                    .contains("mlguard_agent_capture_paused{agent=\"2@b\\\"x\"} 1\n")
                    .contains("mlguard_agent_capture_paused{agent=\"1@a\"} 0\n")
                    .contains("mlguard_agent_capture_sampled_seconds_total{agent=\"1@a\"} 2\n")
                    .contains("# TYPE mlguard_agent_records_written_inline_total counter\n")
                    .contains("mlguard_agent_records_written_inline_total{agent=\"1@a\"} 4\n")
                    .contains("mlguard_agent_records_written_inline_total{agent=\"2@b\\\"x\"} 1\n")
                    .contains("# TYPE mlguard_agent_inferences_not_sampled_total counter\n")
                    .contains("mlguard_agent_inferences_not_sampled_total{agent=\"1@a\"} 60\n")
                    .contains("mlguard_records_total{kind=\"malformed\"} 0\n");
        }
    }
}
