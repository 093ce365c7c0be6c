package io.mlguard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.mlguard.demo.data.MnistData;
import io.mlguard.demo.model.Mlp;
import io.mlguard.demo.model.MlpTrainer;
import io.mlguard.demo.model.OnnxExporter;
import io.mlguard.demo.model.TrainingConfig;
import io.mlguard.protocol.DType;
import io.mlguard.protocol.InferenceRecord;
import io.mlguard.protocol.ModelLoadRecord;
import io.mlguard.protocol.Outcome;
import io.mlguard.protocol.TensorSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * DJL on its ONNX Runtime engine, in a forked JVM with mlguard.jar on each JDK: every prediction is
 * exactly one record with runtime {@code djl} (ONNX Runtime's own {@code OrtSession.run} inside it
 * is not recorded again), its numbers match the digits sent and the answer, the model load is one
 * {@code djl} record with the file's SHA-256 and the engine options, and no answer changes.
 */
class DjlOnnxRuntimeIT {
    @TempDir static Path work;
    static Path model;

    @BeforeAll
    static void exportModel() throws Exception {
        Mlp mlp = new MlpTrainer(TrainingConfig.of(42, 1)).train(MnistData.load().training());
        model = work.resolve("models/mnist-djl/model.onnx");
        Files.createDirectories(model.getParent());
        Files.write(model, OnnxExporter.toBytes(mlp));
    }

    static List<Path> jdks() {
        return Artifacts.jdks();
    }

    @ParameterizedTest(name = "JDK {0}")
    @MethodSource("jdks")
    void everyPredictionIsOneDjlRecordWithTheValuesSent(Path jdk) throws Exception {
        int feature = Artifacts.featureVersion(jdk);
        Path queue = work.resolve("queue-" + feature);
        List<String> flags = TestApps.djlFlags(work.resolve("djl-cache"));
        String cp = TestApps.pathingJar(work, System.getProperty("java.class.path"));
        List<String> args = List.of(model.toString());
        List<String> plain =
                TestApps.run(
                        jdk,
                        cp,
                        flags,
                        DjlOnnxApp.class.getName(),
                        args,
                        null,
                        work.resolve("plain-" + feature + ".log"));
        List<String> withAgent =
                TestApps.run(
                        jdk,
                        cp,
                        flags,
                        DjlOnnxApp.class.getName(),
                        args,
                        queue,
                        work.resolve("agent-" + feature + ".log"));
        assertThat(withAgent).as("answers with the agent").isEqualTo(plain);

        List<float[][]> plan = TestApps.digits();
        QueueContents q = QueueContents.read(queue);
        assertThat(q.inferences)
                .as("one record per predict, none from ORT inside, then the direct ORT call")
                .hasSize(plan.size() + 1);
        InferenceRecord direct = q.inferences.get(plan.size());
        assertThat(direct.runtime).isEqualTo("onnxruntime");
        assertThat(direct.inputs[0].shape()).containsExactly(1, 784);
        assertThat(withAgent.get(plan.size())).startsWith("answer ort-direct 0 | ");
        assertThat(direct.outputs[0].topClasses[0])
                .isEqualTo((int) TestApps.firstRow(withAgent.get(plan.size()))[0]);
        for (int i = 0; i < plan.size(); i++) {
            check(q.inferences.get(i), plan.get(i), withAgent.get(i));
        }
        assertThat(q.modelLoads)
                .as("DJL's load (ORT's createSession inside is nested), then the direct one")
                .hasSize(2);
        assertThat(q.modelLoads.get(1).runtime).isEqualTo("onnxruntime");
        assertThat(q.modelLoads.get(1).sha256).isEqualTo(Hashes.sha256(model));
        ModelLoadRecord load = q.modelLoads.get(0);
        assertThat(load.runtime).isEqualTo("djl");
        assertThat(load.outcome).isEqualTo(Outcome.OK);
        assertThat(load.modelId).isEqualTo("mnist-djl");
        assertThat(load.sha256).isEqualTo(Hashes.sha256(model));
        assertThat(load.sizeBytes).isEqualTo(Files.size(model));
        assertThat(Path.of(load.source)).isEqualTo(model.toAbsolutePath());
        assertThat(load.options)
                .contains("engine=OnnxRuntime")
                .contains("option.interOpNumThreads=1")
                .contains("device=cpu");
        assertThat(q.inferences.subList(0, plan.size()))
                .allSatisfy(r -> assertThat(r.modelHashPrefix).isEqualTo(load.hashPrefix()));
    }

    private static void check(InferenceRecord r, float[][] sent, String answer) {
        assertThat(r.runtime).isEqualTo("djl");
        assertThat(r.modelId).isEqualTo("mnist-djl");
        assertThat(r.outcome).isEqualTo(Outcome.OK);
        assertThat(r.latencyNanos).isPositive();
        int rows = sent.length;
        assertThat(r.batchSize).isEqualTo(rows);
        assertThat(r.inputCount).isEqualTo(1);
        TensorSummary in = r.inputs[0];
        assertThat(in.dtype).isEqualTo(DType.FLOAT32);
        assertThat(in.shape()).containsExactly(rows, 784);
        assertThat(in.count).isEqualTo(rows * 784L);
        AgentOnDemoServerIT.Stats expected = AgentOnDemoServerIT.Stats.of(sent);
        assertThat(in.min).isEqualTo(expected.min);
        assertThat(in.max).isEqualTo(expected.max);
        assertThat(in.mean).isCloseTo(expected.mean, within(1e-9));
        assertThat(in.std).isCloseTo(expected.std, within(1e-6));
        assertThat(r.fingerprintKind).isEqualTo(InferenceRecord.FINGERPRINT_POOLED_2D);

        TensorSummary probs = Hashes.outputShaped(r, rows, 10);
        assertThat(probs.dtype).isEqualTo(DType.FLOAT32);
        float[] first = TestApps.firstRow(answer);
        assertThat(probs.topClasses[0]).isEqualTo((int) first[0]);
        assertThat(probs.topScores[0]).isEqualTo(first[1 + (int) first[0]]);
    }
}
