package io.mlguard.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.mlguard.demo.data.MnistData;
import io.mlguard.protocol.AgentStatsRecord;
import io.mlguard.protocol.ControlRecord;
import io.mlguard.protocol.InferenceRecord;
import io.mlguard.protocol.Outcome;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Block, throttle and sample commands written to the control queue, obeyed by the agent in the demo
 * server with {@code enforce=true}: the blocked client's inference fails with a clear message,
 * everyone else is untouched, expired commands are ignored, a lift restores the client, and an
 * operator's sample command (the collector's {@code control} command) leaves all but one in N of a
 * client's inferences unrecorded, and answered.
 */
class EnforcementIT {
    @TempDir static Path work;
    static Path models;
    static String digit;
    static Path jdk;

    @BeforeAll
    static void trainModel() throws Exception {
        jdk = Artifacts.jdks().get(0);
        models = work.resolve("models");
        DemoModels.train(models, 1, work.resolve("train.log"));
        digit = Requests.infer(new float[][] {MnistData.load().heldOut().image(0)});
    }

    static void command(
            Path control, ControlRecord.Action action, String client, long expires, double rate) {
        ControlRecord c = new ControlRecord();
        c.timestampMillis = System.currentTimeMillis();
        c.action = action;
        c.clientId = client;
        c.expiresAtMillis = expires;
        c.ratePerSecond = rate;
        c.reason = "test";
        c.issuedBy = "EnforcementIT";
        try (ChronicleQueue q = ChronicleQueue.singleBuilder(control).build();
                ExcerptAppender a = q.createAppender();
                DocumentContext dc = a.writingDocument()) {
            c.writeTo(dc.wire().bytes());
        }
    }

    static HttpResponse<String> infer(DemoServer s, String client) throws Exception {
        return s.post("/v2/models/mnist/infer", digit, client);
    }

    static HttpResponse<String> awaitStatus(DemoServer s, String client, boolean refused)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        HttpResponse<String> r;
        do {
            r = infer(s, client);
            if ((r.statusCode() != 200) == refused) {
                return r;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        throw new AssertionError(
                "client "
                        + client
                        + " never "
                        + (refused ? "refused" : "allowed")
                        + ": "
                        + r.body());
    }

    @Test
    void blockedClientsAreRefusedOthersUntouchedAndEveryCommandEnds() throws Exception {
        Path queue = work.resolve("queue");
        Path control = work.resolve("control");
        long inTenMinutes = System.currentTimeMillis() + 600_000;
        command(control, ControlRecord.Action.BLOCK, "old", System.currentTimeMillis() - 1, 0);
        command(control, ControlRecord.Action.BLOCK, "mallory", inTenMinutes, 0);
        command(control, ControlRecord.Action.THROTTLE, "greedy", inTenMinutes, 1);

        int greedyRefused = 0;
        try (DemoServer s =
                DemoServer.start(
                        jdk,
                        models,
                        "queue="
                                + queue
                                + ",enforce=true,controlQueue="
                                + control
                                + ",statsIntervalSeconds=1",
                        work.resolve("server.log"))) {
            HttpResponse<String> refused = awaitStatus(s, "mallory", true);
            assertThat(refused.body())
                    .contains("client 'mallory' is blocked until")
                    .contains("test");
            String allowed = infer(s, "alice").body();
            assertThat(infer(s, "alice").statusCode()).isEqualTo(200);
            assertThat(infer(s, "old").body()).as("an expired block is ignored").isEqualTo(allowed);

            for (int i = 0; i < 6; i++) {
                if (infer(s, "greedy").statusCode() != 200) {
                    greedyRefused++;
                }
            }
            assertThat(greedyRefused).as("1/s throttle over 6 quick calls").isBetween(3, 5);

            command(control, ControlRecord.Action.LIFT, "mallory", inTenMinutes, 0);
            assertThat(awaitStatus(s, "mallory", false).body()).isEqualTo(allowed);

            try (ForkedJvm operator =
                    ForkedJvm.start(
                            List.of(
                                    Artifacts.java(jdk),
                                    "-jar",
                                    Artifacts.collectorJar().toString(),
                                    "control",
                                    "sample",
                                    "--control-queue",
                                    control.toString(),
                                    "--client",
                                    "sampled",
                                    "--every",
                                    "4",
                                    "--for",
                                    "PT10M"),
                            work.resolve("control-sample.log"))) {
                assertThat(operator.awaitExit(Duration.ofMinutes(1)))
                        .as(operator.describe())
                        .isZero();
            }
            s.jvm.awaitLine(
                    "recording one inference in 4 of client 'sampled'", Duration.ofSeconds(30));
            for (int i = 0; i < 12; i++) {
                assertThat(infer(s, "sampled").body()).as("answered as before").isEqualTo(allowed);
            }
            // the agent's next stats record (one a second here) counts the 9 left out
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            long notSampled = 0;
            while (notSampled < 9 && System.nanoTime() < deadline) {
                Thread.sleep(200);
                for (AgentStatsRecord r : QueueContents.read(queue).agentStats) {
                    notSampled = Math.max(notSampled, r.inferencesNotSampled);
                }
            }
            assertThat(notSampled).as("inferences the sample command left out").isEqualTo(9);
            assertThat(s.jvm.output())
                    .contains("enforcing commands from")
                    .doesNotContain("internal error while recording");
        }
        List<InferenceRecord> records = QueueContents.read(queue).inferences;
        assertThat(records).filteredOn(r -> r.outcome == Outcome.ERROR).isEmpty();
        assertThat(records)
                .filteredOn(r -> r.outcome == Outcome.BLOCKED)
                .isNotEmpty()
                .allSatisfy(r -> assertThat(r.clientId).isIn("mallory", "greedy"))
                .allSatisfy(r -> assertThat(r.modelId).isEqualTo("mnist"));
        assertThat(records)
                .as("one in 4 of the sampled client's 12 inferences")
                .filteredOn(r -> "sampled".equals(r.clientId))
                .hasSize(3)
                .allSatisfy(r -> assertThat(r.outcome).isEqualTo(Outcome.OK));
        assertThat(records)
                .as("one BLOCKED record per refusal the client saw")
                .filteredOn(r -> r.outcome == Outcome.BLOCKED && r.clientId.equals("greedy"))
                .hasSize(greedyRefused);
    }

    /**
     * The loop closed: the collector, told by its response policy to block query attackers, sees a
     * HopSkipJump client through the agent's records, writes a block to the control queue, and the
     * agent refuses that client from then on while a benign client goes on being answered. The
     * policy's webhook receives the alert.
     */
    @Test
    void theCollectorBlocksAQueryAttackerThroughTheAgent() throws Exception {
        Path queue = work.resolve("q3");
        Path control = work.resolve("control3");
        Path policy = work.resolve("policy.json");
        List<String> alerts = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext(
                "/hook",
                exchange -> {
                    alerts.add(new String(exchange.getRequestBody().readAllBytes(), UTF_8));
                    exchange.sendResponseHeaders(204, -1);
                    exchange.close();
                });
        receiver.start();
        Files.writeString(
                policy,
                "{\"notifiers\": {\"ops\": {\"url\": \"http://127.0.0.1:"
                        + receiver.getAddress().getPort()
                        + "/hook\"}},"
                        + " \"rules\": [{\"types\": [\"query_attack\"], \"minSeverity\": \"high\","
                        + " \"block\": \"PT10M\", \"notify\": [\"ops\"]}]}");
        try (CollectorProcess collector =
                        CollectorProcess.start(
                                jdk,
                                queue,
                                work.resolve("collector3.log"),
                                "--response-policy",
                                policy.toString(),
                                "--control-queue",
                                control.toString());
                DemoServer s =
                        DemoServer.start(
                                jdk,
                                models,
                                "queue=" + queue + ",enforce=true,controlQueue=" + control,
                                work.resolve("server3.log"))) {
            try (ForkedJvm attack =
                    ForkedJvm.start(
                            List.of(
                                    Artifacts.java(jdk),
                                    "-jar",
                                    Artifacts.demoJar().toString(),
                                    "traffic",
                                    "--url",
                                    "http://127.0.0.1:" + s.port,
                                    "--models",
                                    models.toString(),
                                    "--scenario",
                                    "hopskipjump",
                                    "--client",
                                    "eve",
                                    "--budget",
                                    "400"),
                            work.resolve("attack3.log"))) {
                // the generator reports refused requests and exits non-zero: eve was cut off
                assertThat(attack.awaitExit(Duration.ofMinutes(3)))
                        .as(attack.describe())
                        .isNotZero();
            }
            HttpResponse<String> refused = awaitStatus(s, "eve", true);
            assertThat(refused.body())
                    .contains("client 'eve' is blocked until")
                    .contains("query_attack");
            assertThat(infer(s, "alice").statusCode()).isEqualTo(200);
            collector.jvm.awaitLine(
                    "control command written: BLOCK client=eve model=mnist",
                    Duration.ofSeconds(10));
        } finally {
            receiver.stop(0);
        }
        List<InferenceRecord> records = QueueContents.read(queue).inferences;
        assertThat(records)
                .filteredOn(r -> r.outcome == Outcome.BLOCKED)
                .isNotEmpty()
                .allSatisfy(r -> assertThat(r.clientId).isEqualTo("eve"));
        assertThat(records)
                .filteredOn(r -> r.clientId.equals("alice"))
                .allSatisfy(r -> assertThat(r.outcome).isEqualTo(Outcome.OK));
        assertThat(alerts).hasSize(1);
        assertThat(alerts.get(0)).contains("\"type\":\"query_attack\"").contains("eve");
    }

    /**
     * DJL (on its ONNX Runtime engine) and TensorFlow-Java (a session and a concrete function)
     * behind a JDK {@code HttpServer}: a blocked client is refused on every route with the agent's
     * exception, which the server turns into its usual error answer; another client's answers are
     * those of the same server without the agent; each refusal is one BLOCKED record of the outer
     * runtime (DJL's engine call nested in it is neither checked nor recorded again).
     */
    @Test
    void djlAndTensorFlowRefuseABlockedClientToo() throws Exception {
        Path queue = work.resolve("q-djl-tf");
        Path control = work.resolve("control-djl-tf");
        command(
                control,
                ControlRecord.Action.BLOCK,
                "mallory",
                System.currentTimeMillis() + 600_000,
                0);
        String cp =
                TestApps.pathingJar(
                        work.resolve("cp-djl-tf"), System.getProperty("java.class.path"));
        Path onnx = models.resolve("mnist/1/model.onnx");
        List<String> flags = TestApps.djlFlags(work.resolve("djl-cache"));
        List<String> routes = List.of("/djl", "/tf-session", "/tf-function");

        List<String> plain = new ArrayList<>();
        try (HttpApp app =
                HttpApp.start(
                        jdk,
                        cp,
                        DjlTensorFlowHttpApp.class,
                        onnx,
                        null,
                        flags,
                        work.resolve("djl-tf-plain.log"))) {
            for (String route : routes) {
                plain.add(app.post(route, 3, "alice"));
            }
        }
        List<String> withAgent = new ArrayList<>();
        try (HttpApp app =
                HttpApp.start(
                        jdk,
                        cp,
                        DjlTensorFlowHttpApp.class,
                        onnx,
                        "queue=" + queue + ",enforce=true,controlQueue=" + control,
                        flags,
                        work.resolve("djl-tf-agent.log"))) {
            for (String route : routes) {
                HttpResponse<String> refused = awaitRefusal(app, route, "mallory");
                assertThat(refused.statusCode()).as(route).isEqualTo(500);
                assertThat(refused.body())
                        .as(route)
                        // DJL wraps what a prediction throws in its checked TranslateException,
                        // which DJL servers already handle; the cause says why
                        .startsWith(
                                route.equals("/djl")
                                        ? "ai.djl.translate.TranslateException: "
                                                + "io.mlguard.bootstrap.ClientBlockedException: "
                                        : "io.mlguard.bootstrap.ClientBlockedException: ")
                        .contains("client 'mallory' is blocked until");
                withAgent.add(app.post(route, 3, "alice"));
            }
            assertThat(app.jvm.output())
                    .contains("enforcing commands from")
                    .doesNotContain("internal error")
                    .doesNotContain("could not instrument");
        }
        assertThat(withAgent).as("answers with the agent").isEqualTo(plain);

        List<InferenceRecord> records = QueueContents.read(queue).inferences;
        assertThat(records).extracting(r -> r.runtime).doesNotContain("onnxruntime");
        assertThat(records).filteredOn(r -> r.outcome == Outcome.ERROR).isEmpty();
        List<InferenceRecord> blocked =
                records.stream().filter(r -> r.outcome == Outcome.BLOCKED).toList();
        assertThat(blocked)
                .allSatisfy(r -> assertThat(r.clientId).isEqualTo("mallory"))
                .extracting(r -> r.runtime)
                .contains("djl", "tensorflow");
        assertThat(records)
                .filteredOn(r -> "alice".equals(r.clientId))
                .allSatisfy(r -> assertThat(r.outcome).isEqualTo(Outcome.OK))
                .extracting(r -> r.runtime)
                .containsExactly("djl", "tensorflow", "tensorflow");
        String djlModel =
                records.stream()
                        .filter(r -> r.runtime.equals("djl") && r.outcome == Outcome.OK)
                        .findFirst()
                        .orElseThrow()
                        .modelId;
        assertThat(blocked)
                .filteredOn(r -> r.runtime.equals("djl"))
                .allSatisfy(r -> assertThat(r.modelId).isEqualTo(djlModel));
    }

    /**
     * Asks as {@code client} until refused (the agent reads its control queue in the background).
     */
    static HttpResponse<String> awaitRefusal(HttpApp app, String route, String client)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        HttpResponse<String> r;
        do {
            r = app.send(route, 3, client);
            if (r.statusCode() != 200) {
                return r;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        throw new AssertionError(client + " never refused at " + route + "\n" + app.jvm.describe());
    }

    @Test
    void aMissingControlQueueLeavesInferenceRunning() throws Exception {
        try (DemoServer s =
                DemoServer.start(
                        jdk,
                        models,
                        "queue="
                                + work.resolve("q2")
                                + ",enforce=true,controlQueue="
                                + work.resolve("nowhere"),
                        work.resolve("server2.log"))) {
            for (int i = 0; i < 3; i++) {
                assertThat(infer(s, "anyone").statusCode()).isEqualTo(200);
            }
            s.jvm.awaitLine("control queue .* does not exist yet", Duration.ofSeconds(30));
        }
    }
}
