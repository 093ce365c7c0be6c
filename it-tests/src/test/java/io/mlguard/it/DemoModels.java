package io.mlguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Trains the demo's models into a repository directory, in a forked JVM, as a user would. */
final class DemoModels {
    private DemoModels() {}

    /**
     * Runs {@code java -jar mlguard-demo.jar train --models DIR --epochs N} on the first test JDK
     * and fails with its output if it does not succeed.
     */
    static void train(Path models, int epochs, Path log) throws Exception {
        try (ForkedJvm train =
                ForkedJvm.start(
                        List.of(
                                Artifacts.java(Artifacts.jdks().get(0)),
                                "-jar",
                                Artifacts.demoJar().toString(),
                                "train",
                                "--models",
                                models.toString(),
                                "--epochs",
                                String.valueOf(epochs)),
                        log)) {
            assertThat(train.awaitExit(Duration.ofMinutes(3))).as(train.describe()).isZero();
        }
    }
}
