package io.mlguard.collector;

import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import io.mlguard.collector.api.ApiServer;
import io.mlguard.collector.api.Health;
import io.mlguard.collector.api.Metrics;
import io.mlguard.collector.config.CollectorConfig;
import io.mlguard.collector.detect.Detector;
import io.mlguard.collector.detect.DriftDetector;
import io.mlguard.collector.detect.ExtractionDetector;
import io.mlguard.collector.detect.InvalidInputDetector;
import io.mlguard.collector.detect.ModelSubstitutionDetector;
import io.mlguard.collector.detect.OperationalDetector;
import io.mlguard.collector.detect.QueryAttackDetector;
import io.mlguard.collector.detect.Sensitivity;
import io.mlguard.collector.explain.DeterministicExplainer;
import io.mlguard.collector.explain.IncidentFacts;
import io.mlguard.collector.explain.llm.AsyncExplainer;
import io.mlguard.collector.explain.llm.ChatModels;
import io.mlguard.collector.explain.llm.IncidentMemory;
import io.mlguard.collector.explain.llm.LlmExplainer;
import io.mlguard.collector.explain.llm.LlmSettings;
import io.mlguard.collector.incident.Feedback;
import io.mlguard.collector.incident.FeedbackStore;
import io.mlguard.collector.incident.Incident;
import io.mlguard.collector.incident.IncidentManager;
import io.mlguard.collector.incident.IncidentStore;
import io.mlguard.collector.ingest.IngestStats;
import io.mlguard.collector.ingest.QueueIngestor;
import io.mlguard.collector.ingest.RecordDispatcher;
import io.mlguard.collector.profile.ProfileTracker;
import io.mlguard.collector.report.HtmlReport;
import io.mlguard.collector.report.ReportWriter;
import io.mlguard.collector.respond.ControlQueueWriter;
import io.mlguard.collector.respond.ResponseEngine;
import io.mlguard.collector.store.DurableState;
import io.mlguard.collector.store.StoreCheckpoint;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running collector: durable state, ingest thread, detectors, incident manager, HTTP API and
 * (optionally) the report writer, wired from a {@link CollectorConfig}. Tests run it in-process;
 * {@link CollectorMain} runs it from the command line.
 */
public final class Collector implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Collector.class);

    /** Records per sliding drift window (its quarter is the comparison step). */
    static final int DRIFT_WINDOW = 500;

    private final IngestStats stats = new IngestStats();
    private final DurableState state;
    private final IncidentStore store;
    private final FeedbackStore feedback;
    private final IncidentManager incidents;
    private final AsyncExplainer llmExplainer;
    private IncidentMemory memory; // null without an LLM with retrieval
    private final QueueIngestor ingestor;
    private final ApiServer api;
    private final ReportWriter reports;
    private ResponseEngine responder; // null without --response-policy; set once while starting
    private boolean closed;

    private AsyncExplainer llmExplainer(LlmSettings s) {
        memory =
                s.retrievalK() == 0
                        ? null
                        : new IncidentMemory(new AllMiniLmL6V2EmbeddingModel(), s.memoryFile());
        LlmExplainer llm = new LlmExplainer(ChatModels.create(s, System.getenv()), s, memory);
        return new AsyncExplainer(
                llm,
                s.queueCapacity(),
                store::get,
                (id, explanation) -> {
                    synchronized (incidents) {
                        store.get(id).ifPresent(i -> store.put(i.withExplanation(explanation)));
                    }
                });
    }

    private Collector(CollectorConfig config, Clock clock) throws IOException {
        state = DurableState.open(config.stateDir());
        ApiServer startedApi = null;
        ReportWriter writer = null;
        try {
            store = state.incidents();
            feedback = state.feedback();
            llmExplainer = config.llm().map(this::llmExplainer).orElse(null);
            incidents =
                    new IncidentManager(
                            store,
                            llmExplainer != null ? llmExplainer : new DeterministicExplainer(),
                            clock,
                            IncidentManager.DEFAULT_QUIET_WINDOW,
                            IncidentManager.DEFAULT_MAX_INCIDENTS);
            // The tracker runs first, so a record never counts in the profile it is compared with.
            ProfileTracker profiles = new ProfileTracker(config.profileWindow(), config.profiles());
            // Operators' verdicts reach the detectors through this (stored tuning already in it).
            Sensitivity sensitivity = state.tuning().sensitivity();
            List<Detector> detectors =
                    List.of(
                            profiles,
                            new InvalidInputDetector(config.referenceWindow(), sensitivity),
                            // never tuned: a hash that is not the expected one is a fact
                            new ModelSubstitutionDetector(config.allowList().orElse(null)),
                            new DriftDetector(
                                    profiles,
                                    DRIFT_WINDOW,
                                    CollectorConfig.DEFAULT_ARL0,
                                    sensitivity),
                            new QueryAttackDetector(sensitivity),
                            new ExtractionDetector(sensitivity),
                            new OperationalDetector(
                                    profiles, CollectorConfig.DEFAULT_ARL0, sensitivity));
            StoreCheckpoint checkpoint = state.restore(incidents, detectors, stats);
            Health health = new Health(stats, store, incidents::droppedIncidents);
            ingestor =
                    new QueueIngestor(
                            config.queueDir(),
                            new RecordDispatcher(detectors, incidents, stats),
                            stats,
                            checkpoint);
            Metrics metrics =
                    new Metrics(
                            stats,
                            store,
                            incidents::droppedIncidents,
                            checkpoint,
                            clock,
                            state.tuning()::states);
            startedApi =
                    ApiServer.start(
                            config.httpPort(),
                            new ApiServer.Sources(
                                    store,
                                    feedback,
                                    health,
                                    list ->
                                            HtmlReport.render(
                                                    list,
                                                    health.snapshot(),
                                                    clock.millis(),
                                                    feedback::forIncident),
                                    metrics::render,
                                    config.apiToken().orElse(null),
                                    clock,
                                    this::recordFeedback,
                                    state.tuning()::state));
            if (config.responsePolicy().isPresent()) {
                responder =
                        new ResponseEngine(
                                config.responsePolicy().get(),
                                config.controlQueue().map(ControlQueueWriter::new).orElse(null),
                                "http://127.0.0.1:" + startedApi.port(),
                                clock);
                incidents.observe(responder);
                metrics.showResponses(responder);
            }
            if (config.reportDir().isPresent()) {
                writer = new ReportWriter(config.reportDir().get(), store, feedback, health, clock);
                writer.start();
            }
        } catch (IOException | RuntimeException e) {
            if (responder != null) {
                responder.close();
            }
            if (startedApi != null) {
                startedApi.close();
            }
            state.close();
            throw e;
        }
        api = startedApi;
        reports = writer;
        // The first incident must not pay for class loading on the ingest thread.
        IncidentPathWarmUp.run();
        ingestor.start();
    }

    /**
     * Stores a verdict and lets it tune its detector (one transaction), then puts it with the
     * operator's comment into the LLM's retrieval memory, if there is one. The memory is a nicety:
     * the verdict is already stored when it fails, so a failure there is only logged.
     */
    private void recordFeedback(Incident incident, Feedback f) {
        state.tuning().record(incident, f);
        IncidentMemory m = memory;
        if (m == null) {
            return;
        }
        Incident current = store.get(incident.id()).orElse(incident);
        try {
            m.recordVerdict(
                    IncidentFacts.of(current),
                    current.explanation() == null ? "" : current.explanation().summary(),
                    f.verdict().wireName(),
                    f.comment());
        } catch (RuntimeException e) {
            LOG.warn(
                    "verdict on {} stored, but not in the retrieval memory: {}",
                    incident.id(),
                    e.toString());
        }
    }

    /** Starts everything; the API is listening when this returns. */
    public static Collector start(CollectorConfig config) throws IOException {
        return start(config, Clock.systemUTC());
    }

    /** As {@link #start(CollectorConfig)}, with the clock that stamps {@code createdAt}. */
    public static Collector start(CollectorConfig config, Clock clock) throws IOException {
        return new Collector(config, clock);
    }

    /** The HTTP port actually bound. */
    public int port() {
        return api.port();
    }

    public IngestStats stats() {
        return stats;
    }

    public IncidentStore incidents() {
        return store;
    }

    public FeedbackStore feedback() {
        return feedback;
    }

    /**
     * Stops ingest (closing the tailer and queue, which keeps the read position), writes the
     * reports a last time and stops the API. Safe to call twice.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        ingestor.close(); // commits what was handled, on the ingest thread
        if (llmExplainer != null) {
            llmExplainer.close();
        }
        if (responder != null) {
            responder.close(); // after ingest: the last incidents' actions are carried out
        }
        if (reports != null) {
            reports.close();
        }
        api.close();
        state.close();
        LOG.info(
                "stopped after {} records ({} malformed), {} incidents",
                stats.recordsRead(),
                stats.malformedRecords(),
                store.size());
    }
}
