package io.mlguard.collector.api;

import io.mlguard.collector.detect.Severity;
import io.mlguard.collector.detect.SignalType;
import io.mlguard.collector.incident.DetectorTuning;
import io.mlguard.collector.incident.Incident;
import io.mlguard.collector.incident.IncidentStore;
import io.mlguard.collector.ingest.IngestStats;
import io.mlguard.collector.respond.ResponseEngine;
import io.mlguard.collector.store.StoreCheckpoint;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/** What {@code GET /metrics} shows, in the Prometheus text format. */
public final class Metrics {
    private final IngestStats stats;
    private final IncidentStore store;
    private final LongSupplier droppedIncidents;
    private final StoreCheckpoint checkpoint; // null without a durable store
    private final Clock clock;
    private final Supplier<List<DetectorTuning>> tuning;
    private volatile ResponseEngine responses; // null without a response policy

    public Metrics(
            IngestStats stats,
            IncidentStore store,
            LongSupplier droppedIncidents,
            StoreCheckpoint checkpoint,
            Clock clock) {
        this(stats, store, droppedIncidents, checkpoint, clock, List::of);
    }

    /** As the other constructor, showing where feedback has moved each type's threshold. */
    public Metrics(
            IngestStats stats,
            IncidentStore store,
            LongSupplier droppedIncidents,
            StoreCheckpoint checkpoint,
            Clock clock,
            Supplier<List<DetectorTuning>> tuning) {
        this.tuning = tuning;
        this.stats = stats;
        this.store = store;
        this.droppedIncidents = droppedIncidents;
        this.checkpoint = checkpoint;
        this.clock = clock;
    }

    /** Adds the response engine's counters to what is shown. */
    public void showResponses(ResponseEngine engine) {
        this.responses = engine;
    }

    public String render() {
        PrometheusText p = new PrometheusText();
        p.header("mlguard_records_read_total", "counter", "Queue records read, of every kind.")
                .sample("mlguard_records_read_total", stats.recordsRead());
        p.header("mlguard_records_total", "counter", "Queue records read, by kind.")
                .sample("mlguard_records_total", "kind", "inference", stats.inferenceRecords())
                .sample("mlguard_records_total", "kind", "model_load", stats.modelLoadRecords())
                .sample("mlguard_records_total", "kind", "malformed", stats.malformedRecords());
        p.header(
                "mlguard_malformed_records_total",
                "counter",
                "Records that could not be decoded, by reason.");
        stats.malformedByReason()
                .forEach((r, n) -> p.sample("mlguard_malformed_records_total", "reason", r, n));
        p.header("mlguard_detector_errors_total", "counter", "Exceptions thrown by detectors.")
                .sample("mlguard_detector_errors_total", stats.detectorErrors());
        p.header("mlguard_queue_read_errors_total", "counter", "Failures reading the queue.")
                .sample("mlguard_queue_read_errors_total", stats.readErrors());
        p.header("mlguard_ingest_queue_open", "gauge", "1 while the queue is open and tailed.")
                .sample("mlguard_ingest_queue_open", stats.queueOpen() ? 1 : 0);
        p.header(
                        "mlguard_ingest_lag_records",
                        "gauge",
                        "Records in the queue not read yet (checked about once a second).")
                .sample("mlguard_ingest_lag_records", Math.max(0, stats.lagRecords()));
        long lagMs =
                stats.caughtUp() || stats.lastRecordTimestamp() == 0
                        ? 0
                        : Math.max(0, clock.millis() - stats.lastRecordTimestamp());
        p.header(
                        "mlguard_ingest_lag_milliseconds",
                        "gauge",
                        "Age of the last record read while records are waiting; 0 when caught up.")
                .sample("mlguard_ingest_lag_milliseconds", lagMs);
        p.header("mlguard_detector_signals_total", "counter", "Signals raised, by detector.");
        stats.signalsByDetector()
                .forEach((d, n) -> p.sample("mlguard_detector_signals_total", "detector", d, n));
        AgentMetrics.render(p, stats.agents().latest());
        incidents(p);
        tuning(p);
        p.header(
                        "mlguard_incidents_dropped_total",
                        "counter",
                        "Incidents dropped to stay within the cap.")
                .sample("mlguard_incidents_dropped_total", droppedIncidents.getAsLong());
        p.histogram(
                "mlguard_record_processing_seconds",
                "Time to run every detector on one record.",
                stats.processingTime());
        if (checkpoint != null) {
            p.histogram(
                    "mlguard_store_commit_seconds",
                    "Time of each store commit (a batch of records).",
                    checkpoint.commitTime());
            p.histogram(
                    "mlguard_store_capture_seconds",
                    "Time the ingest thread paused to capture a commit's state.",
                    checkpoint.captureTime());
            p.histogram(
                    "mlguard_incident_open_lag_seconds",
                    "From an incident's first record to its opening (visible in the API).",
                    checkpoint.incidentOpenLag());
            p.histogram(
                    "mlguard_incident_durable_lag_seconds",
                    "From an incident's opening to the commit that stored it.",
                    checkpoint.incidentDurableLag());
            p.header("mlguard_store_commit_failures_total", "counter", "Store commits that failed.")
                    .sample("mlguard_store_commit_failures_total", checkpoint.commitFailures());
        }
        ResponseEngine r = responses;
        if (r != null) {
            p.header(
                            "mlguard_response_actions_total",
                            "counter",
                            "Response actions, by outcome: control commands written, notifications"
                                    + " delivered, failed, dropped on a full queue.")
                    .sample(
                            "mlguard_response_actions_total",
                            "outcome",
                            "command",
                            r.commandsWritten())
                    .sample(
                            "mlguard_response_actions_total",
                            "outcome",
                            "notified",
                            r.notificationsSent())
                    .sample(
                            "mlguard_response_actions_total",
                            "outcome",
                            "failed",
                            r.actionsFailed())
                    .sample(
                            "mlguard_response_actions_total",
                            "outcome",
                            "dropped",
                            r.actionsDropped());
        }
        return p.toString();
    }

    private void tuning(PrometheusText p) {
        List<DetectorTuning> all = tuning.get();
        if (all.isEmpty()) {
            return;
        }
        p.header(
                "mlguard_detector_threshold_multiplier",
                "gauge",
                "Multiplier operators' feedback put on each incident type's detection threshold"
                        + " (1 = calibrated threshold).");
        all.forEach(
                t ->
                        p.sample(
                                "mlguard_detector_threshold_multiplier",
                                "type",
                                t.type().wireName(),
                                t.multiplier()));
        p.header(
                "mlguard_detector_threshold_multiplier_max",
                "gauge",
                "The highest multiplier feedback may put on each type's threshold.");
        all.forEach(
                t ->
                        p.sample(
                                "mlguard_detector_threshold_multiplier_max",
                                "type",
                                t.type().wireName(),
                                t.maxMultiplier()));
        p.header(
                "mlguard_feedback_incidents",
                "gauge",
                "Incidents whose latest verdict is a true or false positive, by type.");
        all.forEach(
                t -> {
                    Map<String, String> fp = new LinkedHashMap<>();
                    fp.put("type", t.type().wireName());
                    fp.put("verdict", "false_positive");
                    p.sample("mlguard_feedback_incidents", fp, t.falsePositives());
                    Map<String, String> tp = new LinkedHashMap<>(fp);
                    tp.put("verdict", "true_positive");
                    p.sample("mlguard_feedback_incidents", tp, t.truePositives());
                });
    }

    private void incidents(PrometheusText p) {
        Map<String, long[]> counts = new TreeMap<>();
        for (SignalType t : SignalType.values()) {
            for (Severity s : Severity.values()) {
                counts.put(t.wireName() + '|' + s.wireName(), new long[1]);
            }
        }
        for (Incident i : store.list()) {
            counts.get(i.type().wireName() + '|' + i.severity().wireName())[0]++;
        }
        p.header("mlguard_incidents", "gauge", "Incidents held, by type and severity.");
        counts.forEach(
                (k, n) -> {
                    int bar = k.indexOf('|');
                    Map<String, String> labels = new LinkedHashMap<>();
                    labels.put("type", k.substring(0, bar));
                    labels.put("severity", k.substring(bar + 1));
                    p.sample("mlguard_incidents", labels, n[0]);
                });
    }
}
