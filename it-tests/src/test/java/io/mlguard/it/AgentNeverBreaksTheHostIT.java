package io.mlguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlguard.demo.data.MnistData;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whatever goes wrong inside the agent, the server starts and answers as it would without it, and
 * the agent says what went wrong in one line.
 */
class AgentNeverBreaksTheHostIT {
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

    private static String answer(String agentArgs, String name) throws Exception {
        try (DemoServer s = DemoServer.start(jdk, models, agentArgs, work.resolve(name + ".log"))) {
            HttpResponse<String> r = s.post("/v2/models/mnist/infer", digit, "c");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            return r.body() + "\n--\n" + s.jvm.output();
        }
    }

    @Test
    void aBadSettingLeavesTheServerRunningWithoutTheAgent() throws Exception {
        String plain = answer(null, "plain").split("\n--\n")[0];
        String[] out = answer("topK=many", "bad-setting").split("\n--\n");
        assertThat(out[0]).isEqualTo(plain);
        assertThat(out[1])
                .contains("[mlguard] agent not started, the application runs without it")
                .contains("topK=many is not a whole number");
    }

    @Test
    void anUnwritableQueueDirectoryLeavesTheServerAnswering() throws Exception {
        // tests may run as root, who can write anywhere: a path under a regular file can never
        // be created, whoever asks
        Path impossible = Files.writeString(work.resolve("a-file"), "x").resolve("queue");
        String plain = answer(null, "plain2").split("\n--\n")[0];
        String[] out = answer("queue=" + impossible, "unwritable").split("\n--\n");
        assertThat(out[0]).isEqualTo(plain);
        assertThat(out[1]).contains("[mlguard]").contains("cannot create queue directory");
    }

    /**
     * A queue on a file system that fills up: Chronicle writes through mapped files, and a write to
     * a mapped page of a full disk faults asynchronously, in whatever the thread runs next (the
     * application's code). The agent must pause capture before that: every answer stays right.
     * Mounting a small tmpfs needs root, which this project's machines and CI have.
     */
    @Test
    void aFillingDiskPausesCaptureAndTheServerKeepsAnswering() throws Exception {
        Path mount = Files.createDirectories(work.resolve("tiny"));
        run("mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", mount.toString());
        try {
            String plain = answer(null, "plain3").split("\n--\n")[0];
            try (DemoServer s =
                    DemoServer.start(
                            jdk,
                            models,
                            "queue=" + mount.resolve("queue") + ",minFreeDiskMb=2",
                            work.resolve("filling.log"))) {
                int sent = 0;
                while (!s.jvm.output().contains("capture paused")) {
                    assertThat(sent).as("requests before capture paused").isLessThan(6000);
                    for (int i = 0; i < 100; i++, sent++) {
                        HttpResponse<String> r =
                                s.post("/v2/models/mnist/infer", digit, "c" + sent);
                        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                    }
                }
                for (int i = 0; i < 300; i++) {
                    assertThat(s.post("/v2/models/mnist/infer", digit, "after").body())
                            .isEqualTo(plain);
                }
                assertThat(s.jvm.output())
                        .contains("disk almost full")
                        .doesNotContain("unsafe memory access")
                        .doesNotContain("InternalError");
            }
        } finally {
            run("umount", mount.toString());
        }
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(String.join(" ", command) + ": " + out).isZero();
    }

    @Test
    void theJarExplainsItselfWhenRun() throws Exception {
        try (ForkedJvm help =
                ForkedJvm.start(
                        List.of(
                                Artifacts.java(jdk),
                                "-jar",
                                Artifacts.agentJar().toString(),
                                "--help"),
                        work.resolve("help.log"))) {
            assertThat(help.awaitExit(Duration.ofSeconds(30))).isZero();
            assertThat(help.output())
                    .contains("-javaagent:mlguard.jar")
                    .contains("queue=DIR")
                    .contains("clientHeader=NAME");
        }
    }
}
