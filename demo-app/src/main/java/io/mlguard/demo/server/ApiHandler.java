package io.mlguard.demo.server;

import ai.onnxruntime.OrtException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.mlguard.demo.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Locale;

/**
 * The HTTP plumbing around {@link Routes}: reads the whole body (bounded), turns every failure into
 * a JSON error with the right status, writes the answer and always closes the exchange.
 */
final class ApiHandler implements HttpHandler {
    /** Largest request body accepted: a batch of ~1,000 digits as JSON. */
    static final int MAX_BODY_BYTES = 16 * 1024 * 1024;

    // an oversized body is still read (and dropped) up to here, so the client gets its 413
    // instead of a connection reset; beyond it the connection is simply closed
    private static final long MAX_DRAIN_BYTES = 256L * 1024 * 1024;

    private final Routes routes;
    private final RequestStats stats;
    private final boolean verbose;

    ApiHandler(Routes routes, RequestStats stats, boolean verbose) {
        this.routes = routes;
        this.stats = stats;
        this.verbose = verbose;
    }

    @Override
    public void handle(HttpExchange exchange) {
        long start = System.nanoTime();
        String client = clientId(exchange);
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        int status = 0;
        try {
            stats.request(client);
            Reply reply = dispatch(exchange, method, path);
            status = reply.status();
            send(exchange, reply);
        } catch (IOException e) {
            // the client went away while we read or wrote: nobody left to answer
            status = -1;
        } finally {
            exchange.close();
            if (verbose) {
                System.out.printf(
                        Locale.ROOT,
                        "access client=%s %s %s %d %.2fms%n",
                        client,
                        method,
                        path,
                        status,
                        (System.nanoTime() - start) / 1e6);
            }
        }
    }

    private Reply dispatch(HttpExchange exchange, String method, String path) throws IOException {
        try {
            byte[] body = readBody(exchange);
            return routes.handle(method, path, body);
        } catch (ApiException e) {
            return Reply.error(e.status(), e.getMessage());
        } catch (JsonProcessingException e) {
            return Reply.error(400, "malformed JSON: " + e.getOriginalMessage());
        } catch (OrtException e) {
            return Reply.error(500, "inference failed: " + e.getMessage());
        } catch (RuntimeException e) {
            // a bug on our side: full trace to our log, a one-line message to the client
            System.err.println("internal error on " + method + " " + path);
            e.printStackTrace();
            return Reply.error(500, "internal error: " + e);
        }
    }

    private static byte[] readBody(HttpExchange exchange) throws IOException {
        InputStream in = exchange.getRequestBody();
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        if (declared != null && declared.trim().matches("[0-9]{1,19}")) {
            if (Long.parseLong(declared.trim()) > MAX_BODY_BYTES) {
                drain(in);
                throw tooLarge();
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        int n;
        while ((n = in.read(buffer)) > 0) {
            if (out.size() + n > MAX_BODY_BYTES) {
                drain(in);
                throw tooLarge();
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    private static ApiException tooLarge() {
        return new ApiException(413, "request body exceeds " + MAX_BODY_BYTES + " bytes");
    }

    private static void drain(InputStream in) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        int n;
        while (total < MAX_DRAIN_BYTES && (n = in.read(buffer)) > 0) {
            total += n;
        }
    }

    private static void send(HttpExchange exchange, Reply reply) throws IOException {
        byte[] bytes = Json.MAPPER.writeValueAsBytes(reply.body());
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(reply.status(), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** The caller's self-declared name, made safe to print in one log line. */
    private static String clientId(HttpExchange exchange) {
        String id = exchange.getRequestHeaders().getFirst("X-Client-Id");
        if (id == null || id.isBlank()) {
            return "anonymous";
        }
        id = id.strip().replaceAll("[^\\x21-\\x7e]", "_");
        return id.length() > 64 ? id.substring(0, 64) : id;
    }
}
