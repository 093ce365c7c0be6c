package io.mlguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code java -jar mlguard-collector.jar --queue DIR --http-port 0 [options]} in a forked JVM, as a
 * sidecar would run, and the reads the tests make of its HTTP API.
 */
final class CollectorProcess implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    final ForkedJvm jvm;

    /** The API's base address, {@code http://127.0.0.1:PORT}. */
    final String api;

    private CollectorProcess(ForkedJvm jvm, String api) {
        this.jvm = jvm;
        this.api = api;
    }

    /** Starts the collector on {@code queue} and waits until its API listens. */
    static CollectorProcess start(Path jdk, Path queue, Path log, String... options)
            throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Artifacts.java(jdk));
        cmd.add("-jar");
        cmd.add(Artifacts.collectorJar().toString());
        cmd.add("--queue");
        cmd.add(queue.toString());
        cmd.add("--http-port");
        cmd.add("0");
        cmd.addAll(List.of(options));
        ForkedJvm jvm = ForkedJvm.start(cmd, log);
        try {
            String port =
                    jvm.awaitLine(
                                    "listening on http://127\\.0\\.0\\.1:(\\d+)",
                                    Duration.ofSeconds(60))
                            .group(1);
            return new CollectorProcess(jvm, "http://127.0.0.1:" + port);
        } catch (Throwable t) {
            jvm.close();
            throw t;
        }
    }

    /** GETs {@code path} of the API, which must answer 200 with JSON. */
    JsonNode get(String path) throws Exception {
        HttpResponse<String> r =
                HTTP.send(
                        HttpRequest.newBuilder(URI.create(api + path)).build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + " " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    /** Waits until {@code /healthz} has read {@code records}, and checks it read no more. */
    JsonNode awaitHealth(long records) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonNode health;
        do {
            health = get("/healthz");
            if (health.get("recordsRead").asLong() >= records) {
                break;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        assertThat(health.get("recordsRead").asLong()).as(health.toString()).isEqualTo(records);
        return health;
    }

    /** Waits until {@code /api/incidents} lists incidents of every one of {@code types}. */
    JsonNode awaitIncidents(String... types) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        JsonNode incidents;
        do {
            incidents = get("/api/incidents");
            List<String> seen = new ArrayList<>();
            incidents.forEach(i -> seen.add(i.get("type").asText()));
            if (seen.containsAll(List.of(types))) {
                return incidents;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("incidents never included " + List.of(types) + ": " + incidents);
    }

    @Override
    public void close() {
        jvm.close();
    }
}
