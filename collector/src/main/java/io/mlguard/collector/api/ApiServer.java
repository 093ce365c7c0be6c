package io.mlguard.collector.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.mlguard.collector.config.ApiToken;
import io.mlguard.collector.detect.SignalType;
import io.mlguard.collector.incident.DetectorTuning;
import io.mlguard.collector.incident.Feedback;
import io.mlguard.collector.incident.FeedbackRecorder;
import io.mlguard.collector.incident.FeedbackStore;
import io.mlguard.collector.incident.InMemoryFeedbackStore;
import io.mlguard.collector.incident.Incident;
import io.mlguard.collector.incident.IncidentStore;
import io.mlguard.collector.report.HtmlReport;
import io.mlguard.collector.report.ReportLinks;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API on 127.0.0.1: {@code GET /api/incidents} (filters and paging), {@code GET
 * /api/incidents/{id}}, {@code POST /api/incidents/{id}/feedback} (bearer token), {@code GET
 * /metrics}, {@code GET /healthz}, {@code GET /report} (the HTML index) and {@code GET
 * /report/{id}} (one incident's page). Errors are JSON objects {@code {"error": "..."}}: 400 for a
 * bad filter or body, 401/403 for a missing or refused token, 404 for an unknown path or id, 405
 * for a wrong method, 413 for a body over 64 KiB, 415 for a body that is not JSON.
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    private static final String INCIDENTS = "/api/incidents";
    private static final String FEEDBACK = "/feedback";
    private static final String REPORT = "/report";

    private final IncidentStore store;
    private final FeedbackStore feedback;
    private final FeedbackRecorder recorder;
    private final Function<SignalType, DetectorTuning> tuning;
    private final Health health;
    private final Function<List<Incident>, String> htmlReport;
    private final Supplier<String> metrics;
    private final BearerAuth auth;
    private final Clock clock;
    private final HttpServer server;
    private final ExecutorService executor;

    /**
     * What the server serves; {@code token} may be null (mutating calls are then refused). Verdicts
     * go to {@code recorder} (which stores them in {@code feedback}); {@code tuning} says where
     * feedback has moved an incident type's threshold, or is null when nothing is tuned.
     */
    public record Sources(
            IncidentStore store,
            FeedbackStore feedback,
            Health health,
            Function<List<Incident>, String> htmlReport,
            Supplier<String> metrics,
            ApiToken token,
            Clock clock,
            FeedbackRecorder recorder,
            Function<SignalType, DetectorTuning> tuning) {
        /** Verdicts are only stored in {@code feedback}; nothing is tuned. */
        public Sources(
                IncidentStore store,
                FeedbackStore feedback,
                Health health,
                Function<List<Incident>, String> htmlReport,
                Supplier<String> metrics,
                ApiToken token,
                Clock clock) {
            this(
                    store,
                    feedback,
                    health,
                    htmlReport,
                    metrics,
                    token,
                    clock,
                    (incident, f) -> feedback.add(f),
                    null);
        }
    }

    private ApiServer(HttpServer server, Sources s) {
        this.server = server;
        this.store = s.store();
        this.feedback = s.feedback();
        this.recorder = s.recorder();
        this.tuning = s.tuning();
        this.health = s.health();
        this.htmlReport = s.htmlReport();
        this.metrics = s.metrics();
        this.auth = new BearerAuth(s.token());
        this.clock = s.clock();
        AtomicInteger n = new AtomicInteger();
        this.executor =
                Executors.newFixedThreadPool(
                        Math.max(2, Runtime.getRuntime().availableProcessors()),
                        r -> {
                            Thread t = new Thread(r, "mlguard-http-" + n.incrementAndGet());
                            t.setDaemon(true);
                            return t;
                        });
        server.createContext("/", this::handle);
        server.setExecutor(executor);
    }

    /** A read-only server without feedback or metrics (tests of the read side). */
    public static ApiServer start(
            int port,
            IncidentStore store,
            Health health,
            Function<List<Incident>, String> htmlReport)
            throws IOException {
        return start(
                port,
                new Sources(
                        store,
                        new InMemoryFeedbackStore(),
                        health,
                        htmlReport,
                        () -> "",
                        null,
                        Clock.systemUTC()));
    }

    /** Binds 127.0.0.1:{@code port} (0 picks a free port) and starts serving. */
    public static ApiServer start(int port, Sources sources) throws IOException {
        // Without it the JDK server answers ~40 ms late on delayed ACKs (RECIPES).
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer server =
                HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        ApiServer api = new ApiServer(server, sources);
        server.start();
        return api;
    }

    /** The port actually bound. */
    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange ex) {
        try (ex) {
            try {
                String path = ex.getRequestURI().getRawPath();
                String allowed = allowedMethod(path);
                if (allowed == null) {
                    throw new HttpError(404, "no such resource: " + path);
                }
                if (!allowed.equals(ex.getRequestMethod())) {
                    ex.getResponseHeaders().set("Allow", allowed);
                    throw new HttpError(
                            405,
                            "method " + ex.getRequestMethod() + " not allowed; use " + allowed);
                }
                route(ex, path);
            } catch (HttpError e) {
                HttpIo.sendError(ex, e.status, e.getMessage());
            }
        } catch (RuntimeException | IOException e) {
            LOG.warn("error serving {}: {}", ex.getRequestURI(), e.toString());
        }
    }

    private static String allowedMethod(String path) {
        if (path.startsWith(INCIDENTS + "/") && path.endsWith(FEEDBACK)) {
            return "POST";
        }
        boolean known =
                path.equals(INCIDENTS)
                        || path.startsWith(INCIDENTS + "/")
                        || path.equals("/healthz")
                        || path.equals("/metrics")
                        || path.equals(REPORT)
                        || path.startsWith(REPORT + "/");
        return known ? "GET" : null;
    }

    private void route(HttpExchange ex, String path) throws IOException {
        if (path.equals("/healthz")) {
            HttpIo.sendJson(ex, 200, IncidentJson.MAPPER.valueToTree(health.snapshot()));
        } else if (path.equals("/metrics")) {
            HttpIo.send(ex, 200, PrometheusText.CONTENT_TYPE, metrics.get());
        } else if (path.equals(REPORT)) {
            sendHtml(ex, htmlReport.apply(store.list()));
        } else if (path.startsWith(REPORT + "/")) {
            // Only the exact id form reaches the store: no decoding, no traversal, no echo.
            String id = path.substring(REPORT.length() + 1);
            Incident i =
                    (Incident.wellFormedId(id) ? store.get(id) : Optional.<Incident>empty())
                            .orElseThrow(() -> new HttpError(404, "no incident with this id"));
            sendHtml(
                    ex,
                    HtmlReport.incident(
                            i, feedback.forIncident(i.id()), clock.millis(), ReportLinks.HTTP));
        } else if (path.equals(INCIDENTS)) {
            list(ex);
        } else if (path.endsWith(FEEDBACK)) {
            String rawId =
                    path.substring(INCIDENTS.length() + 1, path.length() - FEEDBACK.length());
            auth.check(ex); // before anything else: no probing of ids or bodies without it
            postFeedback(ex, incident(rawId));
        } else {
            Incident i = incident(path.substring(INCIDENTS.length() + 1));
            HttpIo.sendJson(ex, 200, json(i));
        }
    }

    private static void sendHtml(HttpExchange ex, String page) throws IOException {
        HttpIo.send(ex, 200, "text/html; charset=utf-8", page); // with the report's CSP header
    }

    private void list(HttpExchange ex) throws IOException {
        IncidentQuery query;
        try {
            query = IncidentQuery.parse(queryParams(ex.getRequestURI().getRawQuery()));
        } catch (IllegalArgumentException e) {
            throw new HttpError(400, e.getMessage());
        }
        List<Incident> matching =
                store.list().stream().filter(query::matches).collect(Collectors.toList());
        int from = (int) Math.min(matching.size(), (long) query.offset());
        int to = (int) Math.min(matching.size(), (long) from + query.limit());
        ex.getResponseHeaders().set("X-Total-Count", Integer.toString(matching.size()));
        ArrayNode page = IncidentJson.MAPPER.createArrayNode();
        matching.subList(from, to).forEach(i -> page.add(json(i)));
        HttpIo.sendJson(ex, 200, page);
    }

    private void postFeedback(HttpExchange ex, Incident incident) throws IOException {
        String type = ex.getRequestHeaders().getFirst("Content-Type");
        if (type == null
                || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            throw new HttpError(415, "Content-Type must be application/json");
        }
        Feedback f = FeedbackRequest.parse(HttpIo.readBody(ex), incident.id(), clock.millis());
        try {
            recorder.record(incident, f);
        } catch (IllegalStateException e) {
            LOG.warn("feedback on {} not stored: {}", incident.id(), e.toString());
            throw new HttpError(503, "feedback could not be stored; try again");
        }
        HttpIo.sendJson(ex, 201, json(incident));
    }

    /** One incident with its feedback and, when tuning is on, its detector's tuning. */
    private ObjectNode json(Incident i) {
        return IncidentJson.toJson(
                i, feedback.forIncident(i.id()), tuning == null ? null : tuning.apply(i.type()));
    }

    /** The incident a raw path segment names, or a 404. */
    private Incident incident(String rawId) {
        Optional<Incident> incident = Optional.empty();
        if (!rawId.isEmpty() && !rawId.contains("/")) {
            try {
                incident = store.get(URLDecoder.decode(rawId, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                // A malformed %-escape cannot name any incident.
            }
        }
        return incident.orElseThrow(() -> new HttpError(404, "no incident with this id"));
    }

    /** Decodes {@code a=1&b=2}; a repeated name keeps its last value. */
    static Map<String, String> queryParams(String rawQuery) {
        Map<String, String> params = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return params;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            try {
                params.put(
                        URLDecoder.decode(name, StandardCharsets.UTF_8),
                        URLDecoder.decode(value, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("malformed query string: " + e.getMessage(), e);
            }
        }
        return params;
    }

    /** Stops accepting requests and waits briefly for those in progress. */
    @Override
    public void close() {
        // JDK 17 waits the whole delay even when idle; requests here are short reads.
        server.stop(0);
        executor.shutdownNow();
    }
}
