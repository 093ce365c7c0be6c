package io.mlguard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.mlguard.demo.data.Dataset;
import io.mlguard.demo.data.MnistData;
import io.mlguard.protocol.ClientIdSource;
import io.mlguard.protocol.DType;
import io.mlguard.protocol.InferenceRecord;
import io.mlguard.protocol.ModelLoadRecord;
import io.mlguard.protocol.Outcome;
import io.mlguard.protocol.TensorSummary;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code java -javaagent:mlguard.jar -jar mlguard-demo.jar serve} on each JDK: every request is one
 * record whose numbers match what was sent and what the model answered, and the answers are the
 * same as without the agent.
 */
class AgentOnDemoServerIT {
    private static final ObjectMapper JSON =
            JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    @TempDir static Path work;
    static Path models;
    static Dataset heldOut;

    /** One request the test sends: its rows and the client header (null for none). */
    record Sent(float[][] rows, String client) {}

    @BeforeAll
    static void trainModel() throws Exception {
        models = work.resolve("models");
        DemoModels.train(models, 2, work.resolve("train.log"));
        heldOut = MnistData.load().heldOut();
    }

    static List<Path> jdks() {
        return Artifacts.jdks();
    }

    static List<Sent> plan() {
        List<Sent> sent = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            sent.add(new Sent(new float[][] {heldOut.image(i * 37)}, "client-" + (i % 3)));
        }
        float[] nan = heldOut.image(5).clone();
        nan[100] = Float.NaN;
        nan[200] = Float.NaN;
        nan[300] = Float.POSITIVE_INFINITY;
        sent.add(new Sent(new float[][] {nan}, "nan-client"));
        sent.add(
                new Sent(
                        new float[][] {heldOut.image(1), heldOut.image(2), heldOut.image(3)},
                        "batcher"));
        // a near duplicate of request 0, then an unrelated digit: for the fingerprint check
        float[] near = heldOut.image(0).clone();
        Random rnd = new Random(1);
        for (int i = 0; i < near.length; i++) {
            near[i] = Math.min(1f, Math.max(0f, near[i] + (rnd.nextFloat() - 0.5f) * 0.02f));
        }
        sent.add(new Sent(new float[][] {near}, null));
        return sent;
    }

    @ParameterizedTest(name = "JDK {0}")
    @MethodSource("jdks")
    void everyRequestIsRecordedWithTheValuesSentAndNoAnswerChanges(Path jdk) throws Exception {
        int feature = Artifacts.featureVersion(jdk);
        Path queue = work.resolve("queue-" + feature);
        List<Sent> plan = plan();

        List<String> withAgent = new ArrayList<>();
        String agentLog;
        try (DemoServer s =
                DemoServer.start(
                        jdk,
                        models,
                        "queue=" + queue + ",debug=true",
                        work.resolve("agent-" + feature + ".log"))) {
            for (Sent r : plan) {
                HttpResponse<String> resp =
                        s.post("/v2/models/mnist/infer", Requests.infer(r.rows()), r.client());
                assertThat(resp.statusCode()).as(resp.body()).isEqualTo(200);
                withAgent.add(resp.body());
            }
            HttpResponse<String> reload =
                    s.post("/v2/repository/models/mnist/load", "", "operator");
            assertThat(reload.statusCode()).as(reload.body()).isEqualTo(200);
            agentLog = s.jvm.output();
        }
        List<String> withoutAgent = new ArrayList<>();
        try (DemoServer s =
                DemoServer.start(jdk, models, null, work.resolve("plain-" + feature + ".log"))) {
            for (Sent r : plan) {
                withoutAgent.add(
                        s.post("/v2/models/mnist/infer", Requests.infer(r.rows()), r.client())
                                .body());
            }
            assertThat(s.jvm.output()).doesNotContain("[mlguard]");
        }

        assertThat(withAgent).as("answers with the agent").isEqualTo(withoutAgent);
        assertThat(agentLog)
                .contains("[mlguard] agent started")
                .doesNotContain("internal error")
                .doesNotContain("could not instrument")
                .doesNotContain("cannot write")
                // the outputs are read through the agent's JNI shim, not a new buffer per read,
                // on JDK 25 too: ONNX Runtime's own library load already made the JDK warn about
                // the class path's native access, so the shim's load adds no warning
                .contains("[mlguard] debug: ONNX Runtime tensors are read through the JNI shim")
                .doesNotContain("JNI shim not in use")
                .doesNotContain("not where the JNI shim found it")
                .doesNotContain("System::load has been called by io.mlguard");

        QueueContents q = QueueContents.read(queue);
        // the demo serves credit too: loaded once at start, never reloaded here
        assertThat(q.modelLoads).filteredOn(m -> m.modelId.equals("credit")).hasSize(1);
        checkModelLoads(
                q.modelLoads.stream()
                        .filter(m -> m.modelId.equals("mnist"))
                        .collect(java.util.stream.Collectors.toList()));
        assertThat(q.inferences).hasSize(plan.size());
        for (int i = 0; i < plan.size(); i++) {
            checkInference(q.inferences.get(i), plan.get(i), JSON.readTree(withAgent.get(i)));
        }
        checkFingerprints(q.inferences);
    }

    private static void checkModelLoads(List<ModelLoadRecord> loads) throws Exception {
        Path file = models.resolve("mnist/1/model.onnx");
        String sha =
                HexFormat.of()
                        .formatHex(
                                MessageDigest.getInstance("SHA-256")
                                        .digest(Files.readAllBytes(file)));
        assertThat(loads).as("start-up load and the repository reload").hasSize(2);
        for (ModelLoadRecord m : loads) {
            assertThat(m.modelId).isEqualTo("mnist");
            assertThat(m.runtime).isEqualTo("onnxruntime");
            assertThat(m.sha256).isEqualTo(sha);
            assertThat(m.sizeBytes).isEqualTo(Files.size(file));
            assertThat(Path.of(m.source)).isEqualTo(file.toAbsolutePath());
            assertThat(m.outcome).isEqualTo(Outcome.OK);
            assertThat(m.metadata).contains("graph=mnist_mlp");
        }
    }

    private static void checkInference(InferenceRecord r, Sent sent, JsonNode answer) {
        assertThat(r.modelId).isEqualTo("mnist");
        assertThat(r.runtime).isEqualTo("onnxruntime");
        assertThat(r.outcome).isEqualTo(Outcome.OK);
        assertThat(r.modelHashPrefix).isNotZero();
        assertThat(r.requestPath).isEqualTo("/v2/models/mnist/infer");
        if (sent.client() != null) {
            assertThat(r.clientIdSource).isEqualTo(ClientIdSource.HEADER);
            assertThat(r.clientId).isEqualTo(sent.client());
        } else {
            assertThat(r.clientIdSource).isEqualTo(ClientIdSource.REMOTE_ADDRESS);
            assertThat(r.clientId).isEqualTo("127.0.0.1");
        }
        int rows = sent.rows().length;
        assertThat(r.batchSize).isEqualTo(rows);
        assertThat(r.inputCount).isEqualTo(1);
        TensorSummary in = r.inputs[0];
        assertThat(in.name).isEqualTo("input");
        assertThat(in.dtype).isEqualTo(DType.FLOAT32);
        assertThat(in.shape()).containsExactly(rows, 784);
        assertThat(in.count).isEqualTo(rows * 784L);
        Stats expected = Stats.of(sent.rows());
        assertThat(in.nanCount).isEqualTo(expected.nan);
        assertThat(in.infCount).isEqualTo(expected.inf);
        assertThat(in.min).isEqualTo(expected.min);
        assertThat(in.max).isEqualTo(expected.max);
        assertThat(in.mean).isCloseTo(expected.mean, within(1e-9));
        assertThat(in.std).isCloseTo(expected.std, within(1e-6));
        assertThat(in.l2Norm).isCloseTo(expected.l2, within(1e-6));
        assertThat((double) in.zeroFraction).isCloseTo(expected.zeroFraction, within(1e-6));

        TensorSummary probs = output(r, "probabilities");
        if (expected.nan + expected.inf > 0) {
            // non-finite inputs give non-finite scores: the summary must say so, not hide it
            assertThat(probs.nanCount).isPositive();
            return;
        }
        JsonNode probData = answerOutput(answer, "probabilities").get("data");
        long label = answerOutput(answer, "label").get("data").get(0).asLong();
        assertThat(probs.shape()).containsExactly(rows, 10);
        assertThat(probs.topClasses[0]).isEqualTo((int) label);
        assertThat(probs.topScores[0]).isEqualTo(probData.get((int) label).floatValue());
        assertThat(probs.topK).isEqualTo(5);
        assertThat(probs.margin).isBetween(0f, 1f);
        TensorSummary labels = output(r, "label");
        assertThat(labels.dtype).isEqualTo(DType.INT64);
        assertThat(labels.count).isEqualTo(rows);
    }

    private static void checkFingerprints(List<InferenceRecord> records) {
        InferenceRecord original = records.get(0);
        InferenceRecord nearDuplicate = records.get(records.size() - 1);
        assertThat(original.fingerprintKind).isEqualTo(InferenceRecord.FINGERPRINT_POOLED_2D);
        assertThat(original.fingerprintLength).isEqualTo(64);
        int near = distance(original, nearDuplicate);
        for (int i = 1; i < 12; i++) {
            if (heldOut.label(i * 37) != heldOut.label(0)) {
                assertThat(distance(original, records.get(i)))
                        .as(
                                "an unrelated digit is far from the original, a near duplicate is close")
                        .isGreaterThan(4 * Math.max(near, 1));
            }
        }
    }

    private static int distance(InferenceRecord a, InferenceRecord b) {
        int d = 0;
        for (int i = 0; i < a.fingerprintLength; i++) {
            d += Math.abs((a.fingerprint[i] & 0xff) - (b.fingerprint[i] & 0xff));
        }
        return d;
    }

    private static TensorSummary output(InferenceRecord r, String name) {
        for (int i = 0; i < r.outputCount; i++) {
            if (name.equals(r.outputs[i].name)) {
                return r.outputs[i];
            }
        }
        throw new AssertionError("no output " + name + " in " + r);
    }

    private static JsonNode answerOutput(JsonNode answer, String name) {
        for (JsonNode o : answer.get("outputs")) {
            if (name.equals(o.get("name").asText())) {
                return o;
            }
        }
        throw new AssertionError("no output " + name + " in " + answer);
    }

    /** The statistics of what was sent, computed independently of the agent's code. */
    static final class Stats {
        long nan;
        long inf;
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        double mean;
        double std;
        double l2;
        double zeroFraction;

        static Stats of(float[][] rows) {
            Stats s = new Stats();
            List<Double> finite = new ArrayList<>();
            long zeros = 0;
            long total = 0;
            for (float[] row : rows) {
                for (float v : row) {
                    total++;
                    if (Float.isNaN(v)) {
                        s.nan++;
                    } else if (Float.isInfinite(v)) {
                        s.inf++;
                    } else {
                        finite.add((double) v);
                        zeros += v == 0 ? 1 : 0;
                    }
                }
            }
            double sum = 0;
            for (double v : finite) {
                s.min = Math.min(s.min, v);
                s.max = Math.max(s.max, v);
                sum += v;
            }
            s.mean = sum / finite.size();
            double sq = 0;
            double ss = 0;
            for (double v : finite) {
                sq += (v - s.mean) * (v - s.mean);
                ss += v * v;
            }
            s.std = Math.sqrt(sq / finite.size());
            s.l2 = Math.sqrt(ss);
            s.zeroFraction = (double) zeros / total;
            return s;
        }
    }
}
