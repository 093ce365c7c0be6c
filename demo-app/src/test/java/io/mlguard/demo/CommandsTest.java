package io.mlguard.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.mlguard.demo.model.ModelFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandsTest {
    @TempDir Path dir;

    @Test
    void trainWritesALoadableModelAndVariantsDiffer() throws Exception {
        Path file = ModelFiles.modelPath(dir, "mnist", 1);
        assertThat(Main.run(new String[] {"train", "--models", dir.toString(), "--epochs", "1"}))
                .isZero();
        byte[] normal = Files.readAllBytes(file);
        try (OrtSession session =
                OrtEnvironment.getEnvironment()
                        .createSession(file.toString(), new OrtSession.SessionOptions())) {
            assertThat(session.getOutputNames()).containsExactly("probabilities", "label");
        }

        Main.run(
                new String[] {
                    "train", "--models=" + dir, "--epochs", "1", "--variant", "tampered"
                });
        byte[] tampered = Files.readAllBytes(file);
        Main.run(
                new String[] {"train", "--models", dir.toString(), "--epochs", "1", "--seed", "5"});
        byte[] otherSeed = Files.readAllBytes(file);

        assertThat(tampered).isNotEqualTo(normal);
        assertThat(otherSeed).isNotEqualTo(normal).isNotEqualTo(tampered);
    }

    @Test
    void badArgumentsAreRejected() {
        assertThatThrownBy(() -> Main.run(new String[] {"train", "--model", "x"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown option --model");
        assertThatThrownBy(() -> Main.run(new String[] {"train"}))
                .hasMessageContaining("--models is required");
        assertThatThrownBy(() -> Main.run(new String[] {"serve", "--models", "x", "--port", "-1"}))
                .hasMessageContaining("--port must be between 0 and 65535");
        assertThatThrownBy(
                        () ->
                                Main.run(
                                        new String[] {
                                            "traffic",
                                            "--url",
                                            "http://127.0.0.1:1",
                                            "--models",
                                            "x",
                                            "--scenario",
                                            "chaos"
                                        }))
                .hasMessageContaining("unknown scenario 'chaos'");
        assertThatThrownBy(() -> Main.run(new String[] {"fly"}))
                .hasMessageContaining("unknown command 'fly'");
    }
}
