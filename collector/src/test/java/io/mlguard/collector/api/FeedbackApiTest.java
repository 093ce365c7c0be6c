package io.mlguard.collector.api;

import static io.mlguard.collector.TestRecords.T0;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlguard.collector.config.ApiToken;
import io.mlguard.collector.detect.Severity;
import io.mlguard.collector.detect.Signal;
import io.mlguard.collector.detect.SignalType;
import io.mlguard.collector.explain.DeterministicExplainer;
import io.mlguard.collector.incident.InMemoryFeedbackStore;
import io.mlguard.collector.incident.InMemoryIncidentStore;
import io.mlguard.collector.incident.IncidentManager;
import io.mlguard.collector.ingest.IngestStats;
import io.mlguard.collector.report.HtmlReport;
import io.mlguard.collector.report.ReportLinks;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FeedbackApiTest {
    private static final String TOKEN = "s3cret-token-0123456789";
    private static final long NOW = 1_800_000_000_000L;

    private final HttpClient http = HttpClient.newHttpClient();
    private final InMemoryIncidentStore store = new InMemoryIncidentStore();
    private final InMemoryFeedbackStore feedback = new InMemoryFeedbackStore();
    private ApiServer api;
    private String id;

    private void start(ApiToken token) throws Exception {
        IncidentManager m =
                new IncidentManager(
                        store,
                        new DeterministicExplainer(),
                        Clock.systemUTC(),
                        Duration.ofMinutes(10),
                        1_000);
        for (int i = 0; i < 250; i++) {
            m.accept(
                    Signal.builder(SignalType.INVALID_INPUT, Severity.HIGH, "nan_or_inf")
                            .model("mnist")
                            .client("c" + i)
                            .record(i, T0 + i)
                            .build());
        }
        id = store.list().get(0).id();
        Health health = new Health(new IngestStats(), store, m::droppedIncidents);
        api =
                ApiServer.start(
                        0,
                        new ApiServer.Sources(
                                store,
                                feedback,
                                health,
                                l -> HtmlReport.render(l, health.snapshot(), T0),
                                () -> "mlguard_test 1\n",
                                token,
                                Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC)));
    }

    @AfterEach
    void stop() {
        if (api != null) {
            api.close();
        }
    }

    private HttpResponse<String> post(String path, String auth, String type, String body)
            throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
                        .POST(HttpRequest.BodyPublishers.ofString(body));
        if (auth != null) {
            b.header("Authorization", auth);
        }
        if (type != null) {
            b.header("Content-Type", type);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> feedback(String body) throws Exception {
        return post(
                "/api/incidents/" + id + "/feedback", "Bearer " + TOKEN, "application/json", body);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return IncidentJson.MAPPER.readTree(r.body());
    }

    @Test
    void feedbackIsStoredWithATimeAndShownOnTheIncident() throws Exception {
        start(ApiToken.of(TOKEN, "test"));
        HttpResponse<String> r =
                feedback(
                        "{\"verdict\":\"false_positive\",\"comment\":\"a <b>known</b> batch job\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        assertThat(feedback("{\"verdict\":\"true_positive\"}").statusCode()).isEqualTo(201);

        JsonNode one = json(get("/api/incidents/" + id));
        assertThat(one.get("feedback")).hasSize(2);
        assertThat(one.get("feedback").get(0).get("verdict").asText()).isEqualTo("false_positive");
        assertThat(one.get("feedback").get(0).get("comment").asText())
                .isEqualTo("a <b>known</b> batch job");
        assertThat(one.get("feedback").get(0).get("createdAt").asLong()).isEqualTo(NOW);
        assertThat(one.get("feedback").get(1).get("comment").asText()).isEmpty();
        assertThat(json(get("/api/incidents?limit=1")).get(0).get("feedback")).hasSize(2);
        // the report escapes the comment
        assertThat(
                        HtmlReport.incident(
                                store.get(id).orElseThrow(),
                                feedback.forIncident(id),
                                T0,
                                ReportLinks.HTTP))
                .contains("a &lt;b&gt;known&lt;/b&gt; batch job")
                .doesNotContain("<b>known");
        // the index shows the latest verdict
        assertThat(HtmlReport.render(store.list(), java.util.Map.of(), T0, feedback::forIncident))
                .contains("true_positive")
                .contains("(2 verdicts)");
    }

    @Test
    void withoutAConfiguredTokenMutatingCallsAre403() throws Exception {
        start(null);
        HttpResponse<String> r = feedback("{\"verdict\":\"true_positive\"}");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(json(r).get("error").asText()).contains("--api-token-file");
        assertThat(feedback.forIncident(id)).isEmpty();
    }

    @Test
    void aMissingOrWrongTokenIs401() throws Exception {
        start(ApiToken.of(TOKEN, "test"));
        String path = "/api/incidents/" + id + "/feedback";
        String body = "{\"verdict\":\"true_positive\"}";
        for (String auth :
                new String[] {
                    null, "Bearer wrong-token-0123456789", "Basic " + TOKEN, "Bearer ", TOKEN
                }) {
            HttpResponse<String> r = post(path, auth, "application/json", body);
            assertThat(r.statusCode()).as(String.valueOf(auth)).isEqualTo(401);
            assertThat(r.headers().firstValue("WWW-Authenticate")).isPresent();
            assertThat(json(r).get("error").asText()).isNotBlank();
        }
        // an unknown id is not revealed before authentication either
        assertThat(
                        post("/api/incidents/inc-x/feedback", null, "application/json", body)
                                .statusCode())
                .isEqualTo(401);
        assertThat(feedback.forIncident(id)).isEmpty();
    }

    @Test
    void badBodiesAreRejectedWithAClearMessage() throws Exception {
        start(ApiToken.of(TOKEN, "test"));
        String[][] cases = {
            {"{\"verdict\":\"maybe\"}", "true_positive"},
            {"{\"comment\":\"x\"}", "verdict is required"},
            {"{\"verdict\":\"true_positive\",\"extra\":1}", "unknown field \"extra\""},
            {"{\"verdict\":true}", "verdict is required"},
            {"{\"verdict\":\"true_positive\",\"comment\":5}", "comment must be a string"},
            {"{\"verdict\":\"true_positive\"", "malformed JSON"},
            {"[1,2]", "expected a JSON object"},
            {"{\"verdict\":\"true_positive\"} {}", "malformed JSON"},
            {"{\"verdict\":\"true_positive\",\"verdict\":\"false_positive\"}", "malformed JSON"},
            {"{\"verdict\":\"true_positive\",\"comment\":\"" + "x".repeat(5000) + "\"}", "longer"}
        };
        for (String[] c : cases) {
            HttpResponse<String> r = feedback(c[0]);
            assertThat(r.statusCode()).as(c[0]).isEqualTo(400);
            assertThat(json(r).get("error").asText()).as(c[0]).contains(c[1]);
        }
        HttpResponse<String> big =
                feedback(
                        "{\"verdict\":\"true_positive\",\"comment\":\""
                                + "x".repeat(70_000)
                                + "\"}");
        assertThat(big.statusCode()).isEqualTo(413);
        HttpResponse<String> form =
                post(
                        "/api/incidents/" + id + "/feedback",
                        "Bearer " + TOKEN,
                        "application/x-www-form-urlencoded",
                        "verdict=true_positive");
        assertThat(form.statusCode()).isEqualTo(415);
        assertThat(
                        post(
                                        "/api/incidents/inc-0000000000000000/feedback",
                                        "Bearer " + TOKEN,
                                        "application/json",
                                        "{\"verdict\":\"true_positive\"}")
                                .statusCode())
                .isEqualTo(404);
        assertThat(get("/api/incidents/" + id + "/feedback").statusCode()).isEqualTo(405);
        assertThat(feedback.forIncident(id)).isEmpty();
    }

    @Test
    void pagesAreBoundedAndCounted() throws Exception {
        start(null);
        HttpResponse<String> first = get("/api/incidents");
        assertThat(json(first)).hasSize(100); // the default limit
        assertThat(first.headers().firstValue("X-Total-Count")).hasValue("250");
        JsonNode all = json(get("/api/incidents?limit=1000"));
        assertThat(all).hasSize(250);
        JsonNode page = json(get("/api/incidents?limit=20&offset=240"));
        assertThat(page).hasSize(10);
        assertThat(page.get(0).get("id").asText()).isEqualTo(all.get(240).get("id").asText());
        assertThat(json(get("/api/incidents?offset=1000"))).isEmpty();
        for (String q : new String[] {"limit=0", "limit=1001", "limit=x", "offset=-1"}) {
            HttpResponse<String> r = get("/api/incidents?" + q);
            assertThat(r.statusCode()).as(q).isEqualTo(400);
            assertThat(json(r).get("error").asText()).as(q).isNotBlank();
        }
    }

    @Test
    void metricsAreServedAsPrometheusText() throws Exception {
        start(null);
        HttpResponse<String> r = get("/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        assertThat(r.body()).isEqualTo("mlguard_test 1\n");
    }
}
