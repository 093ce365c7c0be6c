package io.mlguard.collector.respond;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.mlguard.collector.detect.Severity;
import io.mlguard.collector.detect.Signal;
import io.mlguard.collector.detect.SignalType;
import io.mlguard.collector.explain.DeterministicExplainer;
import io.mlguard.collector.incident.InMemoryIncidentStore;
import io.mlguard.collector.incident.IncidentManager;
import io.mlguard.protocol.ControlRecord;
import io.mlguard.protocol.InferenceRecord;
import io.mlguard.protocol.ModelLoadRecord;
import io.mlguard.protocol.RecordFormatException;
import io.mlguard.protocol.RecordReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptTailer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResponseEngineTest {
    private static final long NOW = 1_800_000_000_000L;
    private static final String HOSTILE = "<!channel> <script>x</script> & \"quote\"";

    @TempDir Path control;
    private HttpServer receiver;
    private final List<String> paths = new CopyOnWriteArrayList<>();
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private final Clock clock = Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC);
    private IncidentManager manager;
    private ResponseEngine engine;

    @BeforeEach
    void startReceiver() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext(
                "/",
                exchange -> {
                    paths.add(exchange.getRequestURI().getPath());
                    bodies.add(
                            new String(
                                    exchange.getRequestBody().readAllBytes(),
                                    StandardCharsets.UTF_8));
                    int status = exchange.getRequestURI().getPath().equals("/broken") ? 500 : 200;
                    exchange.sendResponseHeaders(status, -1);
                    exchange.close();
                });
        receiver.start();
        manager =
                new IncidentManager(
                        new InMemoryIncidentStore(),
                        new DeterministicExplainer(),
                        clock,
                        Duration.ofMinutes(10),
                        100);
    }

    @AfterEach
    void stop() {
        if (engine != null) {
            engine.close();
        }
        receiver.stop(0);
    }

    private void start(String policyJson) {
        String url = "http://127.0.0.1:" + receiver.getAddress().getPort();
        ResponsePolicy policy = ResponsePolicy.parse(policyJson.replace("RECEIVER", url));
        engine =
                new ResponseEngine(
                        policy, new ControlQueueWriter(control), "http://127.0.0.1:9400", clock);
        manager.observe(engine);
    }

    private static Signal signal(SignalType type, Severity severity, String client, long index) {
        return Signal.builder(type, severity, "test")
                .model("mnist")
                .client(client)
                .record(index, NOW + index)
                .evidence("nearDuplicates", 12L)
                .build();
    }

    /** Stops the engine, which finishes every queued action, and reads the control queue. */
    private List<ControlRecord> finishAndReadCommands() {
        engine.close();
        List<ControlRecord> out = new ArrayList<>();
        try (ChronicleQueue q = ChronicleQueue.singleBuilder(control).build();
                ExcerptTailer t = q.createTailer()) {
            RecordReader.Handler h =
                    new RecordReader.Handler() {
                        @Override
                        public void inference(InferenceRecord r, long i) {
                            throw new AssertionError("inference record in the control queue");
                        }

                        @Override
                        public void modelLoad(ModelLoadRecord r, long i) {
                            throw new AssertionError("model load record in the control queue");
                        }

                        @Override
                        public void malformed(RecordFormatException e, long i) {
                            throw new AssertionError("malformed control record", e);
                        }

                        @Override
                        public void control(ControlRecord r, long i) {
                            out.add(r);
                        }
                    };
            while (RecordReader.readOne(t, h)) {
                // reads them all
            }
        }
        return out;
    }

    @Test
    void anAttackBlocksItsClientOnceAndNotifiesOnce() throws Exception {
        start(
                "{\"notifiers\": {\"am\": {\"format\": \"alertmanager\","
                        + " \"url\": \"RECEIVER/api/v2/alerts\"}},"
                        + " \"rules\": [{\"types\": [\"query_attack\"], \"minSeverity\": \"high\","
                        + " \"block\": \"PT15M\", \"notify\": [\"am\"]}]}");

        manager.accept(signal(SignalType.QUERY_ATTACK, Severity.HIGH, "attacker", 1));
        manager.accept(signal(SignalType.QUERY_ATTACK, Severity.HIGH, "attacker", 2));
        manager.accept(signal(SignalType.QUERY_ATTACK, Severity.HIGH, "attacker", 3));
        List<ControlRecord> commands = finishAndReadCommands();

        assertThat(commands).hasSize(1);
        ControlRecord c = commands.get(0);
        assertThat(c.action).isEqualTo(ControlRecord.Action.BLOCK);
        assertThat(c.clientId).isEqualTo("attacker");
        assertThat(c.model).isEqualTo("mnist");
        assertThat(c.expiresAtMillis).isEqualTo(NOW + Duration.ofMinutes(15).toMillis());
        assertThat(c.reason).startsWith("query_attack incident inc-");
        assertThat(c.issuedBy).isEqualTo("mlguard-collector");
        assertThat(engine.commandsWritten()).isEqualTo(1);

        assertThat(paths).containsExactly("/api/v2/alerts");
        JsonNode alert = new ObjectMapper().readTree(bodies.get(0)).get(0);
        assertThat(alert.path("labels").path("alertname").asText())
                .isEqualTo("mlguard_query_attack");
        assertThat(alert.path("labels").path("severity").asText()).isEqualTo("high");
        assertThat(alert.path("labels").path("incident").asText())
                .isEqualTo(c.reason.substring(22));
        assertThat(alert.path("generatorURL").asText()).isEqualTo("http://127.0.0.1:9400/report");
        assertThat(engine.notificationsSent()).isEqualTo(1);
    }

    @Test
    void aRuleActsWhenSeverityRisesAndOnEveryNewClientOfTheIncident() {
        start(
                "{\"rules\": [{\"types\": [\"invalid_input\"], \"minSeverity\": \"high\","
                        + " \"throttle\": {\"perSecond\": 2, \"for\": \"PT5M\"}}],"
                        + " \"neverBlock\": [\"healthcheck\"]}");

        manager.accept(signal(SignalType.INVALID_INPUT, Severity.MEDIUM, "c1", 1));
        manager.accept(signal(SignalType.INVALID_INPUT, Severity.HIGH, "c1", 2));
        manager.accept(signal(SignalType.INVALID_INPUT, Severity.HIGH, "c1", 3));
        manager.accept(signal(SignalType.INVALID_INPUT, Severity.HIGH, "healthcheck", 4));
        manager.accept(signal(SignalType.QUERY_ATTACK, Severity.CRITICAL, "c2", 5));
        List<ControlRecord> commands = finishAndReadCommands();

        // medium did not match; high did, once; the exempt client and the other type never
        assertThat(commands).hasSize(1);
        assertThat(commands.get(0).action).isEqualTo(ControlRecord.Action.THROTTLE);
        assertThat(commands.get(0).clientId).isEqualTo("c1");
        assertThat(commands.get(0).ratePerSecond).isEqualTo(2.0);
    }

    @Test
    void hostileStringsStayDataInEveryFormat() throws Exception {
        start(
                "{\"notifiers\": {\"s\": {\"format\": \"slack\", \"url\": \"RECEIVER/slack\"},"
                        + " \"w\": {\"format\": \"webhook\", \"url\": \"RECEIVER/hook\"}},"
                        + " \"rules\": [{\"types\": [\"query_attack\"],"
                        + " \"notify\": [\"s\", \"w\"]}]}");

        manager.accept(signal(SignalType.QUERY_ATTACK, Severity.HIGH, HOSTILE, 1));
        engine.close();

        assertThat(paths).containsExactlyInAnyOrder("/slack", "/hook");
        String slack = bodies.get(paths.indexOf("/slack"));
        String text = new ObjectMapper().readTree(slack).path("text").asText();
        assertThat(text).doesNotContain("<!channel>", "<script>").contains("mlguard high");
        JsonNode hook = new ObjectMapper().readTree(bodies.get(paths.indexOf("/hook")));
        assertThat(hook.path("clients").get(0).asText()).isEqualTo(HOSTILE);
        assertThat(hook.path("type").asText()).isEqualTo("query_attack");
    }

    @Test
    void aFailingReceiverIsCountedAndDetectionGoesOn() {
        start(
                "{\"notifiers\": {\"b\": {\"url\": \"RECEIVER/broken\"},"
                        + " \"gone\": {\"url\": \"http://127.0.0.1:1/\"}},"
                        + " \"rules\": [{\"types\": [\"query_attack\"], \"notify\": [\"b\","
                        + " \"gone\"]}]}");

        manager.accept(signal(SignalType.QUERY_ATTACK, Severity.HIGH, "a", 1));
        engine.close();

        assertThat(engine.actionsFailed()).isEqualTo(2);
        assertThat(engine.notificationsSent()).isZero();
        assertThat(paths).containsExactly("/broken");
    }
}
