package io.mlguard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.mlguard.protocol.DType;
import io.mlguard.protocol.InferenceRecord;
import io.mlguard.protocol.ModelLoadRecord;
import io.mlguard.protocol.Outcome;
import io.mlguard.protocol.TensorSummary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * TensorFlow-Java in a forked JVM with mlguard.jar on each JDK ({@link TensorFlowApp}): session
 * runs (graph), {@code ConcreteFunction} calls (eager, no session) and calls of a SavedModel loaded
 * back each give one record whose numbers match the rows sent and the answers; a call that fails is
 * recorded as an error; a run that fetches nothing gives none; the SavedModel load is recorded with
 * the directory's SHA-256 and its tags, and its calls carry that identity; no answer changes.
 */
class TensorFlowIT {
    @TempDir static Path work;

    static List<Path> jdks() {
        return Artifacts.jdks();
    }

    @ParameterizedTest(name = "JDK {0}")
    @MethodSource("jdks")
    void sessionFunctionAndSavedModelCallsAreRecordedWithTheValuesSent(Path jdk) throws Exception {
        int feature = Artifacts.featureVersion(jdk);
        Path queue = work.resolve("queue-" + feature);
        Path agentExport = work.resolve("agent-" + feature + "/classifier");
        String cp = TestApps.pathingJar(work, System.getProperty("java.class.path"));
        String main = TensorFlowApp.class.getName();
        List<String> plain =
                TestApps.run(
                        jdk,
                        cp,
                        List.of(),
                        main,
                        List.of(work.resolve("plain-" + feature + "/classifier").toString()),
                        null,
                        work.resolve("plain-" + feature + ".log"));
        List<String> withAgent =
                TestApps.run(
                        jdk,
                        cp,
                        List.of(),
                        main,
                        List.of(agentExport.toString()),
                        queue,
                        work.resolve("agent-" + feature + ".log"));
        assertThat(withAgent).as("answers with the agent").isEqualTo(plain);
        List<float[][]> plan = TestApps.rows();
        assertThat(withAgent).hasSize(3 * plan.size() + 1);
        int n = plan.size();

        QueueContents q = QueueContents.read(queue);
        assertThat(q.modelLoads).hasSize(1);
        ModelLoadRecord load = q.modelLoads.get(0);
        assertThat(load.runtime).isEqualTo("tensorflow");
        assertThat(load.outcome).isEqualTo(Outcome.OK);
        assertThat(load.modelId).isEqualTo("classifier");
        assertThat(Path.of(load.source)).isEqualTo(agentExport.toAbsolutePath());
        assertThat(load.sha256).isEqualTo(Hashes.sha256OfDirectory(agentExport));
        assertThat(load.sizeBytes).isEqualTo(Hashes.sizeOfDirectory(agentExport));
        assertThat(load.options).isEqualTo("tags=serve");
        assertThat(load.metadata).contains("signatures=serving_default");

        assertThat(q.inferences)
                .as("session runs, function calls, SavedModel calls; not the target-only run")
                .hasSize(3 * n + 1);
        InferenceRecord failed = q.inferences.get(n);
        assertThat(withAgent.get(n))
                .isEqualTo(
                        "answer session-error failed org.tensorflow.exceptions.TensorFlowException");
        assertThat(failed.outcome).isEqualTo(Outcome.ERROR);
        assertThat(failed.errorType).isEqualTo("org.tensorflow.exceptions.TensorFlowException");
        assertThat(failed.inputCount).isEqualTo(1);
        assertThat(failed.inputs[0].max).isEqualTo(AgentOnDemoServerIT.Stats.of(plan.get(0)).max);
        assertThat(failed.outputCount).isZero();
        for (int i = 0; i < plan.size(); i++) {
            InferenceRecord session = q.inferences.get(i);
            assertThat(session.modelId).isEqualTo("tf-session");
            assertThat(session.modelHashPrefix).isZero();
            check(session, plan.get(i), withAgent.get(i), "x", "probs");

            InferenceRecord function = q.inferences.get(n + 1 + i);
            assertThat(function.modelId).startsWith("tf-function:");
            check(function, plan.get(i), withAgent.get(n + 1 + i), "x", "probs");

            InferenceRecord saved = q.inferences.get(2 * n + 1 + i);
            assertThat(saved.modelId).isEqualTo("classifier");
            assertThat(saved.modelHashPrefix).isEqualTo(load.hashPrefix()).isNotZero();
            check(saved, plan.get(i), withAgent.get(2 * n + 1 + i), "x", "probs");
        }
        List<String> functionIds = new ArrayList<>();
        for (int i = 0; i < plan.size(); i++) {
            functionIds.add(q.inferences.get(n + 1 + i).modelId);
        }
        assertThat(functionIds).as("one function, one id").containsOnly(functionIds.get(0));
    }

    private static void check(
            InferenceRecord r, float[][] sent, String answer, String input, String output) {
        assertThat(r.runtime).isEqualTo("tensorflow");
        assertThat(r.outcome).isEqualTo(Outcome.OK);
        int rows = sent.length;
        assertThat(r.batchSize).isEqualTo(rows);
        assertThat(r.inputCount).isEqualTo(1);
        TensorSummary in = r.inputs[0];
        assertThat(in.name).contains(input);
        assertThat(in.dtype).isEqualTo(DType.FLOAT32);
        assertThat(in.shape()).containsExactly(rows, 4);
        assertThat(in.count).isEqualTo(rows * 4L);
        AgentOnDemoServerIT.Stats expected = AgentOnDemoServerIT.Stats.of(sent);
        assertThat(in.min).isEqualTo(expected.min);
        assertThat(in.max).isEqualTo(expected.max);
        assertThat(in.mean).isCloseTo(expected.mean, within(1e-9));
        assertThat(in.l2Norm).isCloseTo(expected.l2, within(1e-5));
        assertThat(r.outputCount).isEqualTo(1);
        TensorSummary probs = r.outputs[0];
        assertThat(probs.name).contains(output);
        assertThat(probs.shape()).containsExactly(rows, 3);
        float[] first = TestApps.firstRow(answer);
        assertThat(probs.topClasses[0]).isEqualTo((int) first[0]);
        assertThat(probs.topScores[0]).isEqualTo(first[1 + (int) first[0]]);
        double sum = 0;
        for (int c = 0; c < 3; c++) {
            sum += first[1 + c];
        }
        assertThat(probs.mean).isCloseTo(1.0 / 3, within(1e-6));
        assertThat(sum).isCloseTo(1.0, within(1e-5));
    }
}
