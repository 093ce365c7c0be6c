package io.mlguard.collector.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Reading bounded request bodies and writing responses with the API's headers. */
final class HttpIo {
    /** Request bodies larger than this are refused with 413. */
    static final int MAX_BODY_BYTES = 64 * 1024;

    private HttpIo() {}

    /**
     * Past this, an oversized body is not even drained: the connection is dropped. Below it, it is
     * read and discarded so that the client, still sending, gets to read the 413.
     */
    private static final int MAX_DRAIN_BYTES = 1024 * 1024;

    /** The body, at most {@link #MAX_BODY_BYTES}; more is an {@link HttpError} 413. */
    static byte[] readBody(HttpExchange ex) throws IOException {
        String declared = ex.getRequestHeaders().getFirst("Content-Length");
        long length = -1;
        if (declared != null) {
            try {
                length = Long.parseLong(declared.trim());
            } catch (NumberFormatException e) {
                throw new HttpError(400, "malformed Content-Length");
            }
        }
        try (InputStream in = ex.getRequestBody()) {
            if (length > MAX_DRAIN_BYTES) {
                throw tooLarge();
            }
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                drain(in);
                throw tooLarge();
            }
            return body;
        }
    }

    private static void drain(InputStream in) throws IOException {
        byte[] buf = new byte[8192];
        long total = 0;
        int n;
        while (total < MAX_DRAIN_BYTES && (n = in.read(buf)) > 0) {
            total += n;
        }
    }

    private static HttpError tooLarge() {
        return new HttpError(413, "request body larger than " + MAX_BODY_BYTES + " bytes");
    }

    static void sendError(HttpExchange ex, int status, String message) throws IOException {
        sendJson(ex, status, IncidentJson.MAPPER.createObjectNode().put("error", message));
    }

    static void sendJson(HttpExchange ex, int status, JsonNode body) throws IOException {
        String json;
        try {
            json = IncidentJson.MAPPER.writeValueAsString(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        send(ex, status, "application/json; charset=utf-8", json);
    }

    static void send(HttpExchange ex, int status, String contentType, String body)
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
                            io.mlguard.collector.report.HtmlReport.CONTENT_SECURITY_POLICY);
        }
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }
}
