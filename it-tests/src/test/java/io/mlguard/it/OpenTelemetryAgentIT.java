package io.mlguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlguard.demo.data.Dataset;
import io.mlguard.demo.data.MnistData;
import io.mlguard.protocol.ClientIdSource;
import io.mlguard.protocol.InferenceRecord;
import io.mlguard.protocol.Outcome;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The real OpenTelemetry Java agent and mlguard in one demo server, on each JDK, three ways:
 * mlguard as the OpenTelemetry agent's extension ({@code -Dotel.javaagent.extensions=mlguard.jar}),
 * both as {@code -javaagent}s side by side, and both at once (extension and {@code -javaagent}, a
 * misconfiguration that must not double anything). Every way, the answers are those of the server
 * without agents, each request is exactly one record, and each record carries the trace of the
 * server span OpenTelemetry opened for its request: the caller's trace id when it sent a {@code
 * traceparent}. Nothing is exported: every OpenTelemetry exporter is off.
 */
class OpenTelemetryAgentIT {
    /** A W3C trace context the test sends as a caller would; its trace id must reach the record. */
    static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

    static final String PARENT_SPAN = "00f067aa0ba902b7";

    /** A client address in the documentation range (RFC 5737), as a proxy would forward it. */
    static final String FORWARDED_CLIENT = "203.0.113.9";

    @TempDir static Path work;
    static Path models;
    static Dataset heldOut;

    @BeforeAll
    static void trainModel() throws Exception {
        models = work.resolve("models");
        DemoModels.train(models, 1, work.resolve("train.log"));
        heldOut = MnistData.load().heldOut();
    }

    static List<Path> jdks() {
        return Artifacts.jdks();
    }

    /** The requests: with a traceparent and client id, plain, forwarded by a proxy, plain again. */
    static List<Map<String, String>> headers() {
        return List.of(
                Map.of(
                        "traceparent",
                        "00-" + TRACE_ID + "-" + PARENT_SPAN + "-01",
                        "X-Client-Id",
                        "alice"),
                Map.of(),
                Map.of("X-Forwarded-For", FORWARDED_CLIENT),
                Map.of("X-Client-Id", "bob"));
    }

    static List<String> otelFlags() {
        return List.of(
                "-javaagent:" + Artifacts.otelAgentJar(),
                "-Dotel.traces.exporter=none",
                "-Dotel.metrics.exporter=none",
                "-Dotel.logs.exporter=none",
                "-Dotel.javaagent.debug=false");
    }

    @ParameterizedTest(name = "JDK {0}")
    @MethodSource("jdks")
    void recordsCarryTheTraceOfTheirRequestAndNothingIsDoubled(Path jdk) throws Exception {
        int feature = Artifacts.featureVersion(jdk);
        List<String> plain = serve(jdk, List.of(), "plain-" + feature, null);

        Path extensionQueue = work.resolve("queue-extension-" + feature);
        List<String> extension = new ArrayList<>(otelFlags());
        extension.add("-Dotel.javaagent.extensions=" + Artifacts.agentJar());
        extension.add("-Dmlguard.queue=" + extensionQueue);
        String extensionLog = "extension-" + feature;
        assertThat(serve(jdk, extension, extensionLog, extensionQueue))
                .as("answers with mlguard as the OpenTelemetry extension")
                .isEqualTo(plain);
        checkRecords(extensionQueue);

        Path sideQueue = work.resolve("queue-side-" + feature);
        List<String> side = new ArrayList<>(otelFlags());
        side.add("-javaagent:" + Artifacts.agentJar() + "=queue=" + sideQueue);
        assertThat(serve(jdk, side, "side-" + feature, sideQueue))
                .as("answers with both agents side by side")
                .isEqualTo(plain);
        checkRecords(sideQueue);

        Path bothQueue = work.resolve("queue-both-" + feature);
        List<String> both = new ArrayList<>(otelFlags());
        both.add("-Dotel.javaagent.extensions=" + Artifacts.agentJar());
        both.add("-Dmlguard.queue=" + bothQueue);
        both.add("-javaagent:" + Artifacts.agentJar());
        String bothOutput = output(jdk, both, "both-" + feature, bothQueue, plain);
        assertThat(bothOutput)
                .as("one of the two copies of mlguard stands down")
                .contains("[mlguard] agent already started by another copy of mlguard.jar");
        checkRecords(bothQueue);
    }

    private String output(
            Path jdk, List<String> flags, String name, Path queue, List<String> expected)
            throws Exception {
        List<String> answers = new ArrayList<>();
        String out = run(jdk, flags, name, queue, answers);
        assertThat(answers).as("answers of " + name).isEqualTo(expected);
        return out;
    }

    private List<String> serve(Path jdk, List<String> flags, String name, Path queue)
            throws Exception {
        List<String> answers = new ArrayList<>();
        run(jdk, flags, name, queue, answers);
        return answers;
    }

    /** Serves the requests, collects the answers and returns the server's output. */
    private String run(Path jdk, List<String> flags, String name, Path queue, List<String> answers)
            throws Exception {
        try (DemoServer s = DemoServer.start(jdk, flags, models, work.resolve(name + ".log"))) {
            List<Map<String, String>> headers = headers();
            for (int i = 0; i < headers.size(); i++) {
                float[][] rows = {heldOut.image(i * 41)};
                HttpResponse<String> resp =
                        s.post("/v2/models/mnist/infer", Requests.infer(rows), headers.get(i));
                assertThat(resp.statusCode()).as(resp.body()).isEqualTo(200);
                answers.add(resp.body());
            }
            String out = s.jvm.output();
            if (queue == null) {
                assertThat(out).doesNotContain("[mlguard]");
            } else {
                assertThat(out)
                        .as(s.jvm.describe())
                        .contains("[mlguard] agent started")
                        .contains("[mlguard] OpenTelemetry agent found")
                        .doesNotContain("internal error")
                        .doesNotContain("could not instrument")
                        .doesNotContain("not started");
            }
            return out;
        }
    }

    /** One record per request, in order, each with the trace of its request's server span. */
    private static void checkRecords(Path queue) {
        List<InferenceRecord> records = QueueContents.read(queue).inferences;
        assertThat(records).as("one record per request, none twice").hasSize(headers().size());
        for (InferenceRecord r : records) {
            assertThat(r.outcome).isEqualTo(Outcome.OK);
            assertThat(r.modelId).isEqualTo("mnist");
            assertThat(r.traceId).matches("[0-9a-f]{32}").isNotEqualTo("0".repeat(32));
            assertThat(r.spanId).matches("[0-9a-f]{16}").isNotEqualTo("0".repeat(16));
        }
        InferenceRecord traced = records.get(0);
        assertThat(traced.traceId).as("the caller's trace id").isEqualTo(TRACE_ID);
        assertThat(traced.spanId)
                .as("the server span, a child of the caller's")
                .isNotEqualTo(PARENT_SPAN);
        assertThat(traced.clientIdSource).isEqualTo(ClientIdSource.HEADER);
        assertThat(traced.clientId).isEqualTo("alice");
        assertThat(records.get(1).traceId)
                .as("a new trace for a request without traceparent")
                .isNotEqualTo(TRACE_ID)
                .isNotEqualTo(records.get(2).traceId);
        assertThat(records.get(1).clientIdSource).isEqualTo(ClientIdSource.REMOTE_ADDRESS);
        assertThat(records.get(1).clientId).isEqualTo("127.0.0.1");
        InferenceRecord forwarded = records.get(2);
        assertThat(forwarded.clientIdSource)
                .as("the server span's client.address, from X-Forwarded-For")
                .isEqualTo(ClientIdSource.OPENTELEMETRY);
        assertThat(forwarded.clientId).isEqualTo(FORWARDED_CLIENT);
        assertThat(records.get(3).clientIdSource).isEqualTo(ClientIdSource.HEADER);
        assertThat(records.get(3).clientId).isEqualTo("bob");
    }
}
