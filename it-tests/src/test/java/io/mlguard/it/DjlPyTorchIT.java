package io.mlguard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.mlguard.protocol.DType;
import io.mlguard.protocol.InferenceRecord;
import io.mlguard.protocol.ModelLoadRecord;
import io.mlguard.protocol.Outcome;
import io.mlguard.protocol.TensorSummary;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * DJL on its PyTorch engine (the DJL 0.35.1 set, native PyTorch from the Maven jar), in a forked
 * JVM with mlguard.jar on each JDK, inside a network namespace with no interface up: a model built
 * and saved with DJL's own layers is loaded back with {@code Criteria}; every prediction is one
 * {@code djl} record matching the rows sent and the answer; the load carries the directory's
 * SHA-256; no answer changes.
 */
class DjlPyTorchIT {
    private static final List<String> NO_NETWORK = List.of("unshare", "-n");

    @TempDir static Path work;
    static Path modelDir;
    static Path cache;
    static String classPath;

    @BeforeAll
    static void createModel() throws Exception {
        Path libs = Paths.get(System.getProperty("mlguard.it.djlPytorch"));
        List<String> cp = new ArrayList<>();
        cp.add(
                Paths.get(
                                DjlPyTorchApp.class
                                        .getProtectionDomain()
                                        .getCodeSource()
                                        .getLocation()
                                        .toURI())
                        .toString());
        cp.add(Artifacts.demoJar().toString());
        try (Stream<Path> jars = Files.list(libs)) {
            cp.addAll(jars.map(Path::toString).sorted().collect(Collectors.toList()));
        }
        assertThat(cp).anyMatch(j -> j.contains("pytorch-native-cpu"));
        classPath = String.join(File.pathSeparator, cp);
        cache = work.resolve("djl-cache");
        modelDir = work.resolve("models/tiny-torch");
        List<String> created =
                TestApps.run(
                        NO_NETWORK,
                        Artifacts.jdks().get(0),
                        classPath,
                        TestApps.djlFlags(cache),
                        DjlPyTorchApp.class.getName(),
                        List.of("create", modelDir.toString()),
                        null,
                        work.resolve("create.log"));
        assertThat(created).hasSize(1);
        assertThat(modelDir.resolve("tiny-0000.params")).isRegularFile();
        try (Stream<Path> s = Files.walk(cache)) {
            assertThat(s.map(p -> p.getFileName().toString()))
                    .as("native PyTorch extracted from the Maven jar into the test's own cache")
                    .contains("libtorch_cpu.so");
        }
    }

    static List<Path> jdks() {
        return Artifacts.jdks();
    }

    @ParameterizedTest(name = "JDK {0}")
    @MethodSource("jdks")
    void everyPredictionIsOneDjlRecordWithTheValuesSent(Path jdk) throws Exception {
        int feature = Artifacts.featureVersion(jdk);
        Path queue = work.resolve("queue-" + feature);
        List<String> args = List.of("predict", modelDir.toString());
        String main = DjlPyTorchApp.class.getName();
        List<String> flags = TestApps.djlFlags(cache);
        List<String> plain =
                TestApps.run(
                        NO_NETWORK,
                        jdk,
                        classPath,
                        flags,
                        main,
                        args,
                        null,
                        work.resolve("plain-" + feature + ".log"));
        List<String> withAgent =
                TestApps.run(
                        NO_NETWORK,
                        jdk,
                        classPath,
                        flags,
                        main,
                        args,
                        queue,
                        work.resolve("agent-" + feature + ".log"));
        assertThat(withAgent).as("answers with the agent").isEqualTo(plain);

        QueueContents q = QueueContents.read(queue);
        assertThat(q.modelLoads).hasSize(1);
        ModelLoadRecord load = q.modelLoads.get(0);
        assertThat(load.runtime).isEqualTo("djl");
        assertThat(load.outcome).isEqualTo(Outcome.OK);
        assertThat(load.modelId).isEqualTo(DjlPyTorchApp.NAME);
        assertThat(Path.of(load.source)).isEqualTo(modelDir.toAbsolutePath());
        assertThat(load.sha256).isEqualTo(Hashes.sha256OfDirectory(modelDir));
        assertThat(load.options).contains("engine=PyTorch").contains("device=cpu");

        List<float[][]> plan = TestApps.rows();
        assertThat(q.inferences).hasSize(plan.size());
        for (int i = 0; i < plan.size(); i++) {
            InferenceRecord r = q.inferences.get(i);
            float[][] sent = plan.get(i);
            assertThat(r.runtime).isEqualTo("djl");
            assertThat(r.modelId).isEqualTo(DjlPyTorchApp.NAME);
            assertThat(r.modelHashPrefix).isEqualTo(load.hashPrefix()).isNotZero();
            assertThat(r.outcome).isEqualTo(Outcome.OK);
            assertThat(r.batchSize).isEqualTo(sent.length);
            TensorSummary in = r.inputs[0];
            assertThat(in.dtype).isEqualTo(DType.FLOAT32);
            assertThat(in.shape()).containsExactly(sent.length, 4);
            AgentOnDemoServerIT.Stats expected = AgentOnDemoServerIT.Stats.of(sent);
            assertThat(in.min).isEqualTo(expected.min);
            assertThat(in.max).isEqualTo(expected.max);
            assertThat(in.mean).isCloseTo(expected.mean, within(1e-9));
            assertThat((double) in.zeroFraction).isCloseTo(expected.zeroFraction, within(1e-9));
            TensorSummary out = Hashes.outputShaped(r, sent.length, 3);
            float[] first = TestApps.firstRow(withAgent.get(i));
            assertThat(out.topClasses[0]).isEqualTo((int) first[0]);
            // the model answers logits; the record's scores are their softmax
            double max = Math.max(first[1], Math.max(first[2], first[3]));
            double norm = 0;
            for (int c = 1; c <= 3; c++) {
                norm += Math.exp(first[c] - max);
            }
            assertThat((double) out.topScores[0])
                    .isCloseTo(Math.exp(first[1 + (int) first[0]] - max) / norm, within(1e-6));
        }
    }
}
