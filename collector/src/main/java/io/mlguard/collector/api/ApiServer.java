package io.mlguard.collector.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.mlguard.collector.incident.Incident;
import io.mlguard.collector.incident.IncidentStore;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The read-only HTTP API on 127.0.0.1: {@code GET /api/incidents}, {@code GET /api/incidents/{id}},
 * {@code GET /healthz} and {@code GET /report}. Errors are JSON objects {@code {"error": "..."}}:
 * 400 for a bad filter, 404 for an unknown path or id, 405 for any method but GET.
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    private static final String INCIDENTS = "/api/incidents";

    private final IncidentStore store;
    private final Health health;
    private final Function<List<Incident>, String> htmlReport;
    private final HttpServer server;
    private final ExecutorService executor;

    private ApiServer(
            HttpServer server,
            IncidentStore store,
            Health health,
            Function<List<Incident>, String> htmlReport) {
        this.server = server;
        this.store = store;
        this.health = health;
        this.htmlReport = htmlReport;
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

    /** Binds 127.0.0.1:{@code port} (0 picks a free port) and starts serving. */
    public static ApiServer start(
            int port,
            IncidentStore store,
            Health health,
            Function<List<Incident>, String> htmlReport)
            throws IOException {
        // Without it the JDK server answers ~40 ms late on delayed ACKs (RECIPES).
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer server =
                HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        ApiServer api = new ApiServer(server, store, health, htmlReport);
        server.start();
        return api;
    }

    /** The port actually bound. */
    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange ex) {
        try (ex) {
            String path = ex.getRequestURI().getRawPath();
            if (!isKnown(path)) {
                sendError(ex, 404, "no such resource: " + path);
                return;
            }
            if (!"GET".equals(ex.getRequestMethod())) {
                ex.getResponseHeaders().set("Allow", "GET");
                sendError(ex, 405, "method " + ex.getRequestMethod() + " not allowed; use GET");
                return;
            }
            route(ex, path);
        } catch (RuntimeException | IOException e) {
            LOG.warn("error serving {}: {}", ex.getRequestURI(), e.toString());
        }
    }

    private static boolean isKnown(String path) {
        return path.equals(INCIDENTS)
                || path.startsWith(INCIDENTS + "/")
                || path.equals("/healthz")
                || path.equals("/report");
    }

    private void route(HttpExchange ex, String path) throws IOException {
        if (path.equals("/healthz")) {
            sendJson(ex, 200, IncidentJson.MAPPER.valueToTree(health.snapshot()));
        } else if (path.equals("/report")) {
            send(ex, 200, "text/html; charset=utf-8", htmlReport.apply(store.list()));
        } else if (path.equals(INCIDENTS)) {
            IncidentQuery query;
            try {
                query = IncidentQuery.parse(queryParams(ex.getRequestURI().getRawQuery()));
            } catch (IllegalArgumentException e) {
                sendError(ex, 400, e.getMessage());
                return;
            }
            List<Incident> matching =
                    store.list().stream().filter(query::matches).collect(Collectors.toList());
            sendJson(ex, 200, IncidentJson.toJson(matching));
        } else {
            String rawId = path.substring(INCIDENTS.length() + 1);
            Optional<Incident> incident = Optional.empty();
            if (!rawId.isEmpty() && !rawId.contains("/")) {
                try {
                    incident = store.get(URLDecoder.decode(rawId, StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    // A malformed %-escape cannot name any incident.
                }
            }
            if (incident.isPresent()) {
                sendJson(ex, 200, IncidentJson.toJson(incident.get()));
            } else {
                sendError(ex, 404, "no incident with this id");
            }
        }
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

    private static void sendError(HttpExchange ex, int status, String message) throws IOException {
        sendJson(ex, status, IncidentJson.MAPPER.createObjectNode().put("error", message));
    }

    private static void sendJson(HttpExchange ex, int status, JsonNode body) throws IOException {
        String json;
        try {
            json = IncidentJson.MAPPER.writeValueAsString(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        send(ex, status, "application/json; charset=utf-8", json);
    }

    private static void send(HttpExchange ex, int status, String contentType, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        if (contentType.startsWith("text/html")) {
            // The page is self-contained: forbid scripts and remote loads outright.
            ex.getResponseHeaders()
                    .set(
                            "Content-Security-Policy",
                            "default-src 'none'; style-src 'unsafe-inline'");
        }
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Stops accepting requests and waits briefly for those in progress. */
    @Override
    public void close() {
        // JDK 17 waits the whole delay even when idle; requests here are short reads.
        server.stop(0);
        executor.shutdownNow();
    }
}
