package io.mlguard.instrumentation.onnxruntime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.mlguard.core.AgentInstaller;
import io.mlguard.protocol.ClientIdSource;
import io.mlguard.protocol.DType;
import io.mlguard.protocol.InferenceRecord;
import io.mlguard.protocol.ModelLoadRecord;
import io.mlguard.protocol.Outcome;
import io.mlguard.protocol.RecordFormatException;
import io.mlguard.protocol.RecordReader;
import io.mlguard.protocol.TensorSummary;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.bytebuddy.agent.ByteBuddyAgent;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptTailer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ONNX Runtime hooks, installed in this JVM, against the real runtime. */
class OnnxRuntimeInstrumentationTest {
    @TempDir static Path dir;
    static Path queueDir;
    static OrtEnvironment env;

    @BeforeAll
    static void installAgent() throws Exception {
        queueDir = dir.resolve("queue");
        // installing into a running JVM is an attach: OrtSession is loaded before, so it is woven
        // by retransformation; the ONNX Runtime classes loaded later are woven as they load
        Class.forName(
                "ai.onnxruntime.OrtSession",
                false,
                OnnxRuntimeInstrumentationTest.class.getClassLoader());
        PrintStream err = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        try {
            // nativeTensorAccess=true: as auto on this JDK 17, but not the default, so that the
            // setting is seen to reach the JNI shim through the installer
            AgentInstaller.install(
                    ByteBuddyAgent.install(),
                    "queue=" + queueDir + ",nativeTensorAccess=true",
                    null,
                    null);
        } finally {
            System.setErr(err);
        }
        String said = log.toString(StandardCharsets.UTF_8);
        err.print(said);
        Matcher m =
                Pattern.compile(
                                "attached: (\\d+) hooked classes already loaded, (\\d+) woven by"
                                        + " retransformation in 1 batch;")
                        .matcher(said);
        assertThat(m.find()).as(said).isTrue();
        assertThat(Integer.parseInt(m.group(1))).as(said).isPositive();
        assertThat(m.group(2)).as("every loaded hooked class woven").isEqualTo(m.group(1));
        assertThat(said).doesNotContain("could not instrument");
        assertThat(OrtNative.mode())
                .as("the installer configured the runtime adapters")
                .isEqualTo("true");
        env = OrtEnvironment.getEnvironment();
    }

    @Test
    void recordsModelLoadAndEveryInferenceWithTheValuesSent() throws Exception {
        Path model = TinyOnnxModel.write(dir.resolve("models/tiny/1/model.onnx"), 1f);
        float[] x = {0.5f, -1f, 2f, 0f};
        float[] probs;
        try (OrtSession session =
                        env.createSession(model.toString(), new OrtSession.SessionOptions());
                OnnxTensor in =
                        OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {1, 4});
                OrtSession.Result out = session.run(Map.of("input", in))) {
            probs = ((float[][]) out.get(0).getValue())[0];
        }

        List<Object> records = readAll();
        ModelLoadRecord load = only(records, ModelLoadRecord.class, "tiny");
        assertThat(load.sha256).isEqualTo(sha256(model));
        assertThat(load.sizeBytes).isEqualTo(Files.size(model));
        assertThat(load.runtime).isEqualTo("onnxruntime");
        assertThat(load.metadata).contains("graph=tiny_linear").contains("producer=mlguard-test");
        assertThat(load.outcome).isEqualTo(Outcome.OK);

        InferenceRecord r = only(records, InferenceRecord.class, "tiny");
        assertThat(r.modelHashPrefix).isEqualTo(load.hashPrefix()).isNotZero();
        assertThat(r.outcome).isEqualTo(Outcome.OK);
        assertThat(r.clientIdSource).isEqualTo(ClientIdSource.NONE);
        assertThat(r.latencyNanos).isPositive();
        assertThat(r.batchSize).isEqualTo(1);
        assertThat(r.inputCount).isEqualTo(1);
        TensorSummary in = r.inputs[0];
        assertThat(in.name).isEqualTo("input");
        assertThat(in.dtype).isEqualTo(DType.FLOAT32);
        assertThat(in.shape()).containsExactly(1, 4);
        assertThat(in.count).isEqualTo(4);
        assertThat(in.min).isEqualTo(-1);
        assertThat(in.max).isEqualTo(2);
        assertThat(in.mean).isCloseTo(0.375, within(1e-9));
        assertThat(in.zeroFraction).isEqualTo(0.25f);
        assertThat(in.l2Norm).isCloseTo(Math.sqrt(0.25 + 1 + 4), within(1e-9));
        assertThat(r.outputCount).isEqualTo(1);
        TensorSummary out = r.outputs[0];
        assertThat(out.name).isEqualTo("probabilities");
        int argmax = 0;
        for (int c = 1; c < 3; c++) {
            if (probs[c] > probs[argmax]) {
                argmax = c;
            }
        }
        assertThat(out.topClasses[0]).isEqualTo(argmax);
        assertThat(out.topScores[0]).isEqualTo(probs[argmax]);
        assertThat(out.topK).isEqualTo(3);
        double entropy = 0;
        for (float p : probs) {
            entropy -= p * Math.log(p);
        }
        assertThat((double) out.entropy).isCloseTo(entropy, within(1e-5));
    }

    @Test
    void nanInputsAreCountedAndFailedRunsRecordedWithoutChangingTheException() throws Exception {
        Path model = TinyOnnxModel.write(dir.resolve("models/nanny/1/model.onnx"), 1f);
        try (OrtSession session = env.createSession(model.toString());
                OnnxTensor nan =
                        OnnxTensor.createTensor(
                                env,
                                FloatBuffer.wrap(
                                        new float[] {Float.NaN, 1, Float.POSITIVE_INFINITY, 2}),
                                new long[] {1, 4})) {
            session.run(Map.of("input", nan)).close();
            assertThatThrownBy(() -> session.run(Map.of("no_such_input", nan)))
                    .isInstanceOf(OrtException.class);
        }
        List<InferenceRecord> calls = all(readAll(), InferenceRecord.class, "nanny");
        assertThat(calls).hasSize(2);
        assertThat(calls.get(0).inputs[0].nanCount).isEqualTo(1);
        assertThat(calls.get(0).inputs[0].infCount).isEqualTo(1);
        assertThat(calls.get(0).inputs[0].min).isEqualTo(1);
        assertThat(calls.get(1).outcome).isEqualTo(Outcome.ERROR);
        assertThat(calls.get(1).errorType).isEqualTo(OrtException.class.getName());
    }

    @Test
    void overloadsThatCallEachOtherGiveOneRecordPerCall() throws Exception {
        Path model = TinyOnnxModel.write(dir.resolve("models/overload/1/model.onnx"), 1f);
        try (OrtSession session = env.createSession(model.toString());
                OnnxTensor in =
                        OnnxTensor.createTensor(
                                env, FloatBuffer.wrap(new float[8]), new long[] {2, 4});
                OrtSession.RunOptions opts = new OrtSession.RunOptions()) {
            session.run(Map.of("input", in)).close();
            session.run(Map.of("input", in), opts).close();
            session.run(Map.of("input", in), java.util.Set.of("probabilities")).close();
        }
        List<InferenceRecord> calls = all(readAll(), InferenceRecord.class, "overload");
        assertThat(calls).hasSize(3);
        assertThat(calls).allSatisfy(c -> assertThat(c.batchSize).isEqualTo(2));
        assertThat(all(readAll(), ModelLoadRecord.class, "overload")).hasSize(1);
    }

    private static String sha256(Path p) throws Exception {
        return HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    }

    static List<Object> readAll() throws InterruptedException {
        assertThat(AgentInstaller.awaitQueueOpen(30_000)).as("queue opened").isTrue();
        List<Object> out = new ArrayList<>();
        try (ChronicleQueue q = ChronicleQueue.singleBuilder(queueDir).build()) {
            ExcerptTailer t = q.createTailer();
            while (RecordReader.readOne(
                    t,
                    new RecordReader.Handler() {
                        @Override
                        public void inference(InferenceRecord record, long index) {
                            out.add(record);
                        }

                        @Override
                        public void modelLoad(ModelLoadRecord record, long index) {
                            out.add(record);
                        }

                        @Override
                        public void malformed(RecordFormatException error, long index) {
                            throw error;
                        }
                    })) {}
        }
        return out;
    }

    static <T> List<T> all(List<Object> records, Class<T> type, String model) {
        List<T> out = new ArrayList<>();
        for (Object o : records) {
            if (type.isInstance(o)) {
                String id =
                        o instanceof InferenceRecord
                                ? ((InferenceRecord) o).modelId
                                : ((ModelLoadRecord) o).modelId;
                if (model.equals(id)) {
                    out.add(type.cast(o));
                }
            }
        }
        return out;
    }

    static <T> T only(List<Object> records, Class<T> type, String model) {
        List<T> found = all(records, type, model);
        assertThat(found).hasSize(1);
        return found.get(0);
    }
}
