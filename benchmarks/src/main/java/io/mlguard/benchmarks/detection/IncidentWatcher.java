package io.mlguard.benchmarks.detection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Polls the collector's {@code GET /api/incidents} every few milliseconds and notes, per incident
 * id, the wall-clock time it was first seen in the API: the end of "inference to incident". It also
 * notes every record index the incident's {@code firstRecordIndex} and {@code lastRecordIndex} took
 * and when each first showed: the records whose signals joined the incident, so that a run whose
 * record joins an incident opened earlier by someone else is seen too (signals of one incident come
 * at least tens of queries apart, far slower than the polling).
 */
final class IncidentWatcher implements AutoCloseable {
    static final long POLL_MILLIS = 5;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final URI uri;
    private final Map<String, Long> firstSeenInApi = new ConcurrentHashMap<>();
    private final Map<String, JsonNode> latest = new ConcurrentHashMap<>();
    private final Map<String, Map<Long, Long>> recordSeenInApi = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    IncidentWatcher(String collectorUrl) {
        this.uri = URI.create(collectorUrl + "/api/incidents?limit=1000");
        this.thread = new Thread(this::loop, "incident-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (running) {
            try {
                poll();
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                // the collector may be starting or stopping: try again
            }
        }
    }

    private void poll() throws Exception {
        HttpResponse<String> r =
                http.send(HttpRequest.newBuilder(uri).GET().build(), BodyHandlers.STRING);
        long now = System.currentTimeMillis();
        JsonNode body = JSON.readTree(r.body());
        JsonNode list = body.isArray() ? body : body.path("incidents");
        for (JsonNode i : list) {
            String id = i.path("id").asText();
            firstSeenInApi.putIfAbsent(id, now);
            latest.put(id, i);
            Map<Long, Long> records =
                    recordSeenInApi.computeIfAbsent(id, k -> new ConcurrentHashMap<>());
            for (String field : new String[] {"firstRecordIndex", "lastRecordIndex"}) {
                if (i.hasNonNull(field)) {
                    records.putIfAbsent(i.path(field).asLong(), now);
                }
            }
        }
    }

    /** Polls once more now, so that the snapshot includes everything the collector has. */
    Map<String, JsonNode> snapshot() throws Exception {
        poll();
        return Map.copyOf(latest);
    }

    long firstSeenInApi(String id) {
        return firstSeenInApi.getOrDefault(id, -1L);
    }

    /**
     * The queue indexes of records seen as the incident's first or last record, each with the
     * wall-clock time it first showed in the API.
     */
    Map<Long, Long> recordsSeenInApi(String id) {
        return Map.copyOf(recordSeenInApi.getOrDefault(id, Map.of()));
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }

    private static final class BodyHandlers {
        static final HttpResponse.BodyHandler<String> STRING = HttpResponse.BodyHandlers.ofString();
    }
}
