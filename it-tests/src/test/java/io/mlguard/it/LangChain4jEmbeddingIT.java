package io.mlguard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import io.mlguard.protocol.DType;
import io.mlguard.protocol.InferenceRecord;
import io.mlguard.protocol.ModelLoadRecord;
import io.mlguard.protocol.Outcome;
import io.mlguard.protocol.TensorSummary;
import java.io.InputStream;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An application nobody here wrote the model code of ({@link MiniLmEmbeddingApp}: langchain4j's
 * in-process all-MiniLM-L6-v2, ONNX Runtime inside) in a forked JVM with mlguard.jar on each JDK:
 * every embedding is one ONNX Runtime record, the vectors printed are those printed without the
 * agent, and the model load, made from bytes inside langchain4j's jar, carries the SHA-256 of the
 * ONNX file in that jar. By default ({@code deferSummaries=auto}) the application's three
 * embeddings, a thread's first captures, are summarised on the serving thread; the same holds with
 * {@code deferSummaries=true}, where the hidden states, thousands of elements, are copied on the
 * serving thread and summarised on the agent's summary thread.
 *
 * <p>What the record summarises is ONNX Runtime's output, {@code last_hidden_state} {@code [1,
 * tokens, 384]}; langchain4j mean-pools and normalises it in Java into the vector the application
 * prints. So the test runs the same model on the same token ids in its own JVM, checks that pooling
 * and normalising its {@code last_hidden_state} gives the printed vector, and checks the record's
 * statistics against that same tensor and its inputs against the token ids.
 */
class LangChain4jEmbeddingIT {
    @TempDir static Path work;
    static OrtEnvironment env;
    static OrtSession session;
    static HuggingFaceTokenizer tokenizer;
    static byte[] modelBytes;

    @BeforeAll
    static void loadTheSameModel() throws Exception {
        try (InputStream in = resource("all-minilm-l6-v2.onnx")) {
            modelBytes = in.readAllBytes();
        }
        try (InputStream in = resource("all-minilm-l6-v2-tokenizer.json")) {
            // as langchain4j configures its tokenizer
            tokenizer = HuggingFaceTokenizer.newInstance(in, Map.of("padding", "false"));
        }
        env = OrtEnvironment.getEnvironment();
        session = env.createSession(modelBytes);
    }

    @AfterAll
    static void close() throws Exception {
        session.close();
        tokenizer.close();
    }

    private static InputStream resource(String name) {
        InputStream in = AllMiniLmL6V2EmbeddingModel.class.getResourceAsStream("/" + name);
        assertThat(in).as(name + " inside langchain4j's jar").isNotNull();
        return in;
    }

    static List<Path> jdks() {
        return Artifacts.jdks();
    }

    @ParameterizedTest(name = "JDK {0}")
    @MethodSource("jdks")
    void everyEmbeddingIsOneRecordOfTheTensorBehindThePrintedVector(Path jdk) throws Exception {
        int feature = Artifacts.featureVersion(jdk);
        Path queue = work.resolve("queue-" + feature);
        String cp = TestApps.pathingJar(work, System.getProperty("java.class.path"));
        List<String> flags = TestApps.djlFlags(work.resolve("djl-cache"));
        String app = MiniLmEmbeddingApp.class.getName();
        List<String> plain =
                TestApps.run(
                        jdk,
                        cp,
                        flags,
                        app,
                        List.of(),
                        null,
                        work.resolve("plain-" + feature + ".log"));
        List<String> agentFlags = new java.util.ArrayList<>(flags);
        agentFlags.add("-Dmlguard.debug=true"); // prints the agent's counters at exit
        int n = MiniLmEmbeddingApp.SENTENCES.size();
        // by default, every embedding recorded, none dropped, no error; none deferred (auto
        // summarises a thread's first captures on it: InferenceRecorder.INLINE_FIRST_CAPTURES)
        runWithAgent(jdk, cp, agentFlags, queue, "agent-" + feature, plain, "0");
        // the same with the tensors summarised on the summary thread (but those made before the
        // queue opened)
        List<String> deferFlags = new java.util.ArrayList<>(agentFlags);
        deferFlags.add("-Dmlguard.deferSummaries=true");
        runWithAgent(
                jdk,
                cp,
                deferFlags,
                work.resolve("queue-deferred-" + feature),
                "agent-deferred-" + feature,
                plain,
                "[0-" + n + "]");
    }

    /**
     * Runs the application with the agent: the same vectors as without it, the agent's counters at
     * exit with {@code deferred} matching {@code deferred}, and the records checked against them.
     */
    private static void runWithAgent(
            Path jdk,
            String cp,
            List<String> flags,
            Path queue,
            String name,
            List<String> plain,
            String deferred)
            throws Exception {
        List<String> printed =
                TestApps.run(
                        jdk,
                        cp,
                        flags,
                        MiniLmEmbeddingApp.class.getName(),
                        List.of(),
                        queue,
                        work.resolve(name + ".log"));
        assertThat(printed).as("vectors with the agent (" + name + ")").isEqualTo(plain);
        List<String> sentences = MiniLmEmbeddingApp.SENTENCES;
        assertThat(printed).hasSize(sentences.size());
        assertThat(java.nio.file.Files.readString(work.resolve(name + ".log")))
                .as("every embedding recorded, none dropped, no error")
                .containsPattern(
                        "counters at exit: inferences="
                                + sentences.size()
                                + ", modelLoads=1, dropped=0, errors=0, .*, deferred="
                                + deferred
                                + "\\b");
        checkQueue(queue, sentences, printed);
    }

    private static void checkQueue(Path queue, List<String> sentences, List<String> printed)
            throws Exception {
        QueueContents q = QueueContents.read(queue);
        assertThat(q.modelLoads).as("one model load").hasSize(1);
        ModelLoadRecord load = q.modelLoads.get(0);
        assertThat(load.runtime).isEqualTo("onnxruntime");
        assertThat(load.outcome).isEqualTo(Outcome.OK);
        assertThat(load.source).as("loaded from bytes, not a file").isEqualTo("<bytes>");
        assertThat(load.sha256)
                .as("SHA-256 of the ONNX file inside langchain4j's jar")
                .isEqualTo(
                        HexFormat.of()
                                .formatHex(
                                        MessageDigest.getInstance("SHA-256").digest(modelBytes)));
        assertThat(load.sizeBytes).isEqualTo(modelBytes.length);

        assertThat(q.inferences).as("one record per embed call").hasSize(sentences.size());
        for (int i = 0; i < sentences.size(); i++) {
            InferenceRecord r = q.inferences.get(i);
            assertThat(r.runtime).isEqualTo("onnxruntime");
            assertThat(r.outcome).isEqualTo(Outcome.OK);
            assertThat(r.modelHashPrefix).isEqualTo(load.hashPrefix());
            check(r, sentences.get(i), MiniLmEmbeddingApp.vector(printed.get(i)));
        }
    }

    /** The record against the token ids and the {@code last_hidden_state} of the same sentence. */
    private static void check(InferenceRecord r, String sentence, float[] printed)
            throws Exception {
        Encoding enc = tokenizer.encode(sentence, true, false);
        long[] ids = enc.getIds();
        int n = ids.length;
        float[][] hidden = lastHiddenState(ids, enc.getAttentionMask(), enc.getTypeIds());

        float[] pooled = new float[384];
        for (float[] token : hidden) {
            for (int d = 0; d < 384; d++) {
                pooled[d] += token[d] / n;
            }
        }
        double norm = 0;
        for (float v : pooled) {
            norm += (double) v * v;
        }
        norm = Math.sqrt(norm);
        assertThat(printed).hasSize(384);
        for (int d = 0; d < 384; d++) {
            assertThat((double) printed[d])
                    .as("printed vector = normalised mean of last_hidden_state, dim " + d)
                    .isCloseTo(pooled[d] / norm, within(1e-4));
        }

        TensorSummary inputIds = named(r, r.inputs, r.inputCount, "input_ids");
        assertThat(inputIds.dtype).isEqualTo(DType.INT64);
        assertThat(inputIds.shape()).containsExactly(1, n);
        Stats idStats = Stats.of(ids);
        assertThat(inputIds.min).isEqualTo(idStats.min).isEqualTo(101.0); // [CLS]
        assertThat(inputIds.max).isEqualTo(idStats.max);
        assertThat(inputIds.mean).isCloseTo(idStats.mean, within(1e-9));
        TensorSummary mask = named(r, r.inputs, r.inputCount, "attention_mask");
        assertThat(mask.shape()).containsExactly(1, n);
        assertThat(mask.min).isEqualTo(1.0);
        assertThat(mask.max).isEqualTo(1.0);

        assertThat(r.outputCount).isEqualTo(1);
        TensorSummary out = r.outputs[0];
        assertThat(out.name).isEqualTo("last_hidden_state");
        assertThat(out.dtype).isEqualTo(DType.FLOAT32);
        assertThat(out.shape()).containsExactly(1, n, 384);
        assertThat(out.count).isEqualTo(n * 384L);
        assertThat(out.sampled).as("small enough to be read whole").isEqualTo(out.count);
        Stats h = Stats.of(hidden);
        assertThat(out.min).isCloseTo(h.min, within(1e-4));
        assertThat(out.max).isCloseTo(h.max, within(1e-4));
        assertThat(out.mean).isCloseTo(h.mean, within(1e-5));
        assertThat(out.std).isCloseTo(h.std, within(1e-4));
        assertThat(out.l2Norm).isCloseTo(h.l2, within(h.l2 * 1e-5));
        assertThat(out.nanCount).isZero();
        // the mean of the pooled vector is the mean of the tensor it pools (one sentence, no
        // padding): the printed vector is that, scaled by 1 / its norm
        double printedMean = 0;
        for (float v : printed) {
            printedMean += v / 384.0;
        }
        assertThat(printedMean * norm).isCloseTo(out.mean, within(1e-4));
    }

    private static float[][] lastHiddenState(long[] ids, long[] mask, long[] types)
            throws Exception {
        long[] shape = {1, ids.length};
        Map<String, OnnxTensor> in = new HashMap<>();
        try (OnnxTensor i = OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape);
                OnnxTensor m = OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape);
                OnnxTensor t = OnnxTensor.createTensor(env, LongBuffer.wrap(types), shape)) {
            in.put("input_ids", i);
            in.put("attention_mask", m);
            if (session.getInputNames().contains("token_type_ids")) {
                in.put("token_type_ids", t);
            }
            try (OrtSession.Result result = session.run(in)) {
                return ((float[][][]) result.get(0).getValue())[0];
            }
        }
    }

    private static TensorSummary named(
            InferenceRecord r, TensorSummary[] summaries, int count, String name) {
        for (int i = 0; i < count; i++) {
            if (name.equals(summaries[i].name)) {
                return summaries[i];
            }
        }
        throw new AssertionError("no tensor " + name + " in " + r);
    }

    /** min, max, mean, population std and L2 norm, in double. */
    record Stats(double min, double max, double mean, double std, double l2) {
        static Stats of(long[] values) {
            double[] d = new double[values.length];
            for (int i = 0; i < d.length; i++) {
                d[i] = values[i];
            }
            return of(d);
        }

        static Stats of(float[][] values) {
            double[] d = new double[values.length * values[0].length];
            int k = 0;
            for (float[] row : values) {
                for (float v : row) {
                    d[k++] = v;
                }
            }
            return of(d);
        }

        static Stats of(double[] d) {
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            double sum = 0;
            double sumSq = 0;
            for (double v : d) {
                min = Math.min(min, v);
                max = Math.max(max, v);
                sum += v;
                sumSq += v * v;
            }
            double mean = sum / d.length;
            return new Stats(
                    min,
                    max,
                    mean,
                    Math.sqrt(Math.max(0, sumSq / d.length - mean * mean)),
                    Math.sqrt(sumSq));
        }
    }
}
