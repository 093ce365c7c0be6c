package io.mlguard.collector.api;

import static io.mlguard.collector.TestRecords.T0;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlguard.collector.detect.Severity;
import io.mlguard.collector.detect.Signal;
import io.mlguard.collector.detect.SignalType;
import io.mlguard.collector.explain.DeterministicExplainer;
import io.mlguard.collector.incident.InMemoryIncidentStore;
import io.mlguard.collector.incident.IncidentManager;
import io.mlguard.collector.ingest.IngestStats;
import io.mlguard.collector.report.HtmlReport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ApiServerTest {
    private final HttpClient http = HttpClient.newHttpClient();
    private final InMemoryIncidentStore store = new InMemoryIncidentStore();
    private ApiServer api;

    @BeforeEach
    void start() throws Exception {
        IncidentManager m =
                new IncidentManager(
                        store,
                        new DeterministicExplainer(),
                        Clock.systemUTC(),
                        Duration.ofMinutes(10),
                        100);
        m.accept(invalid("alice", Severity.MEDIUM, 1, T0));
        m.accept(invalid("bob", Severity.HIGH, 2, T0 + 60_000));
        m.accept(
                Signal.builder(SignalType.MODEL_SUBSTITUTION, Severity.CRITICAL, "hash_changed")
                        .model("iris")
                        .record(3, T0 + 120_000)
                        .evidence("observedHashPrefix", "bbbbbbbbbbbbbbbb")
                        .build());
        Health health = new Health(new IngestStats(), store, m::droppedIncidents);
        api = ApiServer.start(0, store, health, l -> HtmlReport.render(l, health.snapshot(), T0));
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private static Signal invalid(String client, Severity sev, long index, long time) {
        return Signal.builder(SignalType.INVALID_INPUT, sev, "nan_or_inf")
                .model("mnist")
                .client(client)
                .record(index, time)
                .build();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return send("GET", path);
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
                        .method(method, HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        assertThat(r.headers().firstValue("Content-Type"))
                .hasValue("application/json; charset=utf-8");
        return IncidentJson.MAPPER.readTree(r.body());
    }

    @Test
    void listsIncidentsNewestFirst() throws Exception {
        HttpResponse<String> r = get("/api/incidents");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode list = json(r);
        assertThat(list).hasSize(3);
        assertThat(list.get(0).get("model").asText()).isEqualTo("iris");
        assertThat(list.get(1).get("clients").get(0).asText()).isEqualTo("bob");
        assertThat(list.get(2).get("clients").get(0).asText()).isEqualTo("alice");
    }

    @Test
    void filters() throws Exception {
        assertThat(json(get("/api/incidents?type=model_substitution"))).hasSize(1);
        assertThat(json(get("/api/incidents?type=invalid_input&model=mnist"))).hasSize(2);
        assertThat(json(get("/api/incidents?client=alice")))
                .singleElement()
                .satisfies(n -> assertThat(n.get("severity").asText()).isEqualTo("medium"));
        assertThat(json(get("/api/incidents?severity=critical"))).hasSize(1);
        assertThat(json(get("/api/incidents?since=" + (T0 + 60_000)))).hasSize(2);
        assertThat(json(get("/api/incidents?model=nope"))).isEmpty();
        assertThat(json(get("/api/incidents?client=%3Cscript%3E"))).isEmpty();
    }

    @Test
    void badFilterValuesAre400() throws Exception {
        for (String q :
                new String[] {
                    "type=drift", "severity=urgent", "since=yesterday", "since=-1", "colour=red"
                }) {
            HttpResponse<String> r = get("/api/incidents?" + q);
            assertThat(r.statusCode()).as(q).isEqualTo(400);
            assertThat(json(r).get("error").asText()).as(q).isNotBlank();
        }
        assertThat(json(get("/api/incidents?type=drift")).get("error").asText())
                .contains("invalid_input");
    }

    @Test
    void getsOneIncidentById() throws Exception {
        String id = store.list().get(0).id();
        HttpResponse<String> r = get("/api/incidents/" + id);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).get("id").asText()).isEqualTo(id);
        assertThat(json(r).get("explanation").get("summary").asText()).isNotBlank();
    }

    @Test
    void unknownIdsAndPathsAre404() throws Exception {
        for (String path :
                new String[] {
                    "/api/incidents/inc-0000000000000000",
                    "/api/incidents/",
                    "/nope",
                    "/",
                    "/api/incidents/a/b",
                    "/healthz/x"
                }) {
            HttpResponse<String> r = get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(404);
            assertThat(json(r).get("error").asText()).as(path).isNotBlank();
        }
    }

    @Test
    void otherMethodsAre405() throws Exception {
        for (String method : new String[] {"POST", "PUT", "DELETE"}) {
            HttpResponse<String> r = send(method, "/api/incidents");
            assertThat(r.statusCode()).as(method).isEqualTo(405);
            assertThat(r.headers().firstValue("Allow")).hasValue("GET");
            assertThat(json(r).get("error").asText()).contains(method);
        }
        assertThat(send("DELETE", "/healthz").statusCode()).isEqualTo(405);
    }

    @Test
    void healthReportsCounters() throws Exception {
        JsonNode h = json(get("/healthz"));
        assertThat(h.get("status").asText()).isEqualTo("waiting_for_queue");
        assertThat(h.get("incidents").asInt()).isEqualTo(3);
        for (String field :
                new String[] {
                    "recordsRead",
                    "inferenceRecords",
                    "modelLoadRecords",
                    "malformedRecords",
                    "lastRecordTimestamp"
                }) {
            assertThat(h.has(field)).as(field).isTrue();
        }
    }

    @Test
    void reportIsHtmlWithASafePolicy() throws Exception {
        HttpResponse<String> r = get("/report");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(r.headers().firstValue("Content-Security-Policy"))
                .get()
                .asString()
                .contains("default-src 'none'");
        assertThat(r.body()).contains("<table").contains("alice").contains("iris");
    }

    @Test
    void eachIncidentHasItsOwnPageLinkedFromTheIndex() throws Exception {
        String id = store.list().get(0).id();
        assertThat(get("/report").body()).contains("href=\"report/" + id + "\"");
        HttpResponse<String> r = get("/report/" + id);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Security-Policy"))
                .get()
                .asString()
                .contains("script-src 'none'");
        assertThat(r.body())
                .contains("<code>" + id + "</code>")
                .contains("<svg")
                .contains("href=\"../report\"");
    }

    @Test
    void aReportPageForAnythingButAKnownWellFormedIdIs404() throws Exception {
        for (String path :
                new String[] {
                    "/report/inc-0000000000000000",
                    "/report/inc-ABCDEF0123456789",
                    "/report/..%2Fapi%2Fincidents",
                    "/report/%3Cscript%3E",
                    "/report/" + store.list().get(0).id() + "/x",
                    "/report/"
                }) {
            HttpResponse<String> r = get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(404);
            assertThat(r.body()).as(path).doesNotContain("script").doesNotContain("..");
        }
    }
}
