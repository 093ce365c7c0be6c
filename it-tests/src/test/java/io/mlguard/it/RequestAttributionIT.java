package io.mlguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlguard.protocol.ClientIdSource;
import io.mlguard.protocol.InferenceRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Request attribution on real servers, each handing the inference from its request thread (or event
 * loop) to a business executor: Jetty 12 ({@code jakarta.servlet}, asynchronous servlet), Tomcat 9
 * ({@code javax.servlet}) and plain Netty 4.1, in forked JVMs with mlguard.jar on each JDK. Every
 * record names the client that sent its request (the {@code X-Client-Id} header, else the remote
 * address) and its path; the answers are the same with and without the agent; with a key
 * configured, only pseudonyms reach the queue; the agent's own counters arrive as stats records.
 */
class RequestAttributionIT {
    static final String KEY = "it-key-0123456789abcdef";
    static final int REQUESTS = 6;

    @TempDir static Path work;
    static Path model;
    static Path keyFile;

    @BeforeAll
    static void trainModel() throws Exception {
        Path models = work.resolve("models");
        DemoModels.train(models, 1, work.resolve("train.log"));
        model = models.resolve("mnist/1/model.onnx");
        keyFile = work.resolve("client-id.key");
        Files.writeString(keyFile, KEY + "\n");
    }

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (Path jdk : Artifacts.jdks()) {
            cases.add(Arguments.of(jdk, JettyServletApp.class, false));
            cases.add(Arguments.of(jdk, TomcatJavaxApp.class, true));
            cases.add(Arguments.of(jdk, NettyHttpApp.class, true));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "JDK {0}, {1}, pseudonymised {2}")
    @MethodSource("cases")
    void recordsNameTheClientAndPathOfTheirRequest(Path jdk, Class<?> app, boolean pseudonymise)
            throws Exception {
        String tag = app.getSimpleName() + "-" + Artifacts.featureVersion(jdk);
        Path queue = work.resolve("queue-" + tag);
        String cp =
                TestApps.pathingJar(
                        work.resolve("cp-" + tag), System.getProperty("java.class.path"));
        String agentArgs =
                "queue="
                        + queue
                        + ",statsIntervalSeconds=1"
                        + (pseudonymise ? ",clientIdKeyFile=" + keyFile : "");

        List<String> plain = serve(jdk, cp, app, null, work.resolve("plain-" + tag + ".log"));
        List<String> withAgent =
                serve(jdk, cp, app, agentArgs, work.resolve("agent-" + tag + ".log"), queue);
        assertThat(withAgent).as("answers with the agent").isEqualTo(plain);
        assertThat(withAgent).allSatisfy(a -> assertThat(a).endsWith(" @business"));

        QueueContents q = QueueContents.read(queue);
        assertThat(q.inferences).hasSize(REQUESTS);
        for (int i = 0; i < REQUESTS; i++) {
            InferenceRecord r = q.inferences.get(i);
            assertThat(r.runtime).isEqualTo("onnxruntime");
            assertThat(r.requestPath).as("record %d", i).isEqualTo(path(i));
            String raw = clientId(i) != null ? clientId(i) : "127.0.0.1";
            assertThat(r.clientIdSource)
                    .as("record %d", i)
                    .isEqualTo(
                            clientId(i) != null
                                    ? ClientIdSource.HEADER
                                    : ClientIdSource.REMOTE_ADDRESS);
            assertThat(r.clientId)
                    .as("record %d", i)
                    .isEqualTo(pseudonymise ? pseudonym(raw) : raw);
            String answer = withAgent.get(i);
            assertThat(answer).as("inference ran on the business executor").endsWith(" @business");
            int digitClass =
                    (int) TestApps.firstRow(answer.substring(0, answer.lastIndexOf(" @")))[0];
            assertThat(r.outputs[0].topClasses[0]).isEqualTo(digitClass);
        }
        if (pseudonymise) {
            assertThat(queueContains(queue, "tenant-")).as("raw header ids on disk").isFalse();
            assertThat(queueContains(queue, "127.0.0.1")).as("raw addresses on disk").isFalse();
        }
        assertThat(q.agentStats).as("the agent's own counters").isNotEmpty();
        assertThat(q.agentStats.get(q.agentStats.size() - 1).inferencesRecorded)
                .isEqualTo(REQUESTS);
    }

    /** Digit i is asked for at its own path, with a query the record must not keep. */
    static String path(int i) {
        return "/v2/models/mnist/infer/" + i;
    }

    /** Even requests name their client in the header, odd ones are known by address. */
    static String clientId(int i) {
        return i % 2 == 0 ? "tenant-" + (i / 2) : null;
    }

    static String pseudonym(String raw) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        byte[] h = mac.doFinal(raw.getBytes(StandardCharsets.UTF_8));
        return "p:" + HexFormat.of().formatHex(h, 0, 16);
    }

    private static List<String> serve(Path jdk, String cp, Class<?> app, String agentArgs, Path log)
            throws Exception {
        return serve(jdk, cp, app, agentArgs, log, null);
    }

    /** Runs the app, sends the requests in order, and (with the agent) waits for a stats record. */
    private static List<String> serve(
            Path jdk, String cp, Class<?> app, String agentArgs, Path log, Path queue)
            throws Exception {
        List<String> answers = new ArrayList<>();
        try (HttpApp server = HttpApp.start(jdk, cp, app, model, agentArgs, log)) {
            for (int i = 0; i < REQUESTS; i++) {
                answers.add(server.post(path(i) + "?trace=" + i, i * 53, clientId(i)));
            }
            if (queue != null) {
                long deadline = System.nanoTime() + 60_000_000_000L;
                while (!statsCover(queue) && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                String out = server.jvm.output();
                assertThat(out)
                        .contains("[mlguard] agent started")
                        .doesNotContain("internal error")
                        .doesNotContain("not carried");
            } else {
                assertThat(server.jvm.output()).doesNotContain("[mlguard]");
            }
        }
        return answers;
    }

    private static boolean statsCover(Path queue) {
        QueueContents q = QueueContents.read(queue);
        return !q.agentStats.isEmpty()
                && q.agentStats.get(q.agentStats.size() - 1).inferencesRecorded >= REQUESTS;
    }

    private static boolean queueContains(Path queue, String s) throws Exception {
        byte[] needle = s.getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> files = Files.walk(queue)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                byte[] b = Files.readAllBytes(f);
                for (int i = 0; i + needle.length <= b.length; i++) {
                    int j = 0;
                    while (j < needle.length && b[i + j] == needle[j]) {
                        j++;
                    }
                    if (j == needle.length) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
