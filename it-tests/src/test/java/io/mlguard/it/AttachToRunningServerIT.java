package io.mlguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlguard.demo.data.Dataset;
import io.mlguard.demo.data.MnistData;
import io.mlguard.protocol.ClientIdSource;
import io.mlguard.protocol.InferenceRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code java -jar mlguard.jar attach <pid>} on a demo server that started without the agent: the
 * already loaded ONNX Runtime and HTTP server classes are retransformed, and every request after
 * the attach (none before) becomes a record.
 */
class AttachToRunningServerIT {
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

    @ParameterizedTest(name = "JDK {0}")
    @MethodSource("jdks")
    void attachingInstrumentsTheRunningServer(Path jdk) throws Exception {
        int feature = Artifacts.featureVersion(jdk);
        Path queue = work.resolve("queue-" + feature);
        try (DemoServer s =
                DemoServer.start(jdk, models, null, work.resolve("server-" + feature + ".log"))) {
            String before = Requests.infer(new float[][] {heldOut.image(0)});
            assertThat(s.post("/v2/models/mnist/infer", before, "before").statusCode())
                    .isEqualTo(200);

            try (ForkedJvm attach =
                    ForkedJvm.start(
                            List.of(
                                    Artifacts.java(jdk),
                                    "-jar",
                                    Artifacts.agentJar().toString(),
                                    "attach",
                                    String.valueOf(s.jvm.pid()),
                                    "queue=" + queue),
                            work.resolve("attach-" + feature + ".log"))) {
                assertThat(attach.awaitExit(Duration.ofSeconds(60))).as(attach.describe()).isZero();
                assertThat(attach.output()).contains("mlguard attached to process " + s.jvm.pid());
            }
            s.jvm.awaitLine("\\[mlguard\\] agent started \\(attached\\)", Duration.ofSeconds(30));
            // ONNX Runtime's session and environment and the HTTP server's filter chain at least,
            // all woven by retransformation, in one batch (fewer than eight)
            Matcher woven =
                    s.jvm.awaitLine(
                            "\\[mlguard\\] attached: (\\d+) hooked classes already loaded, (\\d+)"
                                    + " woven by retransformation in 1 batch;",
                            Duration.ofSeconds(5));
            assertThat(Integer.parseInt(woven.group(1))).isGreaterThanOrEqualTo(3);
            assertThat(woven.group(2)).isEqualTo(woven.group(1));

            for (int i = 1; i <= 3; i++) {
                String body = Requests.infer(new float[][] {heldOut.image(i)});
                assertThat(s.post("/v2/models/mnist/infer", body, "after-" + i).statusCode())
                        .isEqualTo(200);
            }
            assertThat(s.jvm.output())
                    .doesNotContain("internal error")
                    .doesNotContain("could not instrument");
        }
        QueueContents q = QueueContents.read(queue);
        assertThat(q.inferences)
                .extracting(r -> r.clientId)
                .containsExactly("after-1", "after-2", "after-3");
        for (InferenceRecord r : q.inferences) {
            assertThat(r.clientIdSource).isEqualTo(ClientIdSource.HEADER);
            assertThat(r.runtime).isEqualTo("onnxruntime");
            // the load happened before the attach: the model is named by its graph, hash unknown
            assertThat(r.modelId).isEqualTo("mnist_mlp");
            assertThat(r.inputs[0].count).isEqualTo(784);
        }
        assertThat(q.modelLoads).isEmpty();
    }
}
