package io.mlguard.collector.api;

import io.mlguard.protocol.AgentStatsRecord;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** The agents' own counters, as they last reported them, labelled by agent id. */
final class AgentMetrics {
    private AgentMetrics() {}

    static void render(PrometheusText p, Map<String, AgentStatsRecord> agents) {
        family(
                p,
                agents,
                "mlguard_agent_records_written_total",
                "counter",
                "Inference and model load records the agent wrote.",
                r -> r.inferencesRecorded + r.modelLoadsRecorded);
        family(
                p,
                agents,
                "mlguard_agent_records_dropped_total",
                "counter",
                "Records the agent dropped (queue not open, disk guard, write failures).",
                r -> r.recordsDropped);
        family(
                p,
                agents,
                "mlguard_agent_errors_total",
                "counter",
                "Failures inside the agent, counted and swallowed.",
                r -> r.internalErrors);
        family(
                p,
                agents,
                "mlguard_agent_inferences_refused_total",
                "counter",
                "Inferences the agent refused on a block or throttle command.",
                r -> r.inferencesRefused);
        family(
                p,
                agents,
                "mlguard_agent_capture_paused",
                "gauge",
                "1 while the agent's capture is paused (disk almost full or queue unwritable).",
                r -> r.capturePaused ? 1 : 0);
        family(
                p,
                agents,
                "mlguard_agent_capture_pauses_total",
                "counter",
                "Times the disk guard paused capture.",
                r -> r.capturePauses);
        family(
                p,
                agents,
                "mlguard_agent_capture_sampled_seconds_total",
                "counter",
                "Capture time on the inference thread, measured on a sample of inferences.",
                r -> r.captureSampleNanos / 1e9);
        family(
                p,
                agents,
                "mlguard_agent_capture_samples_total",
                "counter",
                "Inferences whose capture time was measured.",
                r -> r.captureSamples);
        family(
                p,
                agents,
                "mlguard_agent_records_written_inline_total",
                "counter",
                "Records a serving thread wrote itself because its ring to the agent's writer thread"
                        + " was full (asyncWrite=true only).",
                r -> r.recordsWrittenInline);
        family(
                p,
                agents,
                "mlguard_agent_inferences_not_sampled_total",
                "counter",
                "Inferences run but not recorded because the collector asked for one in N"
                        + " (control sample).",
                r -> r.inferencesNotSampled);
        family(
                p,
                agents,
                "mlguard_agent_report_timestamp_seconds",
                "gauge",
                "When the agent last reported its counters.",
                r -> r.timestampMillis / 1e3);
    }

    private static void family(
            PrometheusText p,
            Map<String, AgentStatsRecord> agents,
            String name,
            String type,
            String help,
            ToDoubleFunction<AgentStatsRecord> value) {
        p.header(name, type, help);
        agents.forEach((id, r) -> p.sample(name, "agent", id, value.applyAsDouble(r)));
    }
}
