package io.mlguard.collector;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlguard.collector.config.AllowList;
import io.mlguard.core.ModelHasher;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelsCommandTest {
    @TempDir Path tmp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return ModelsCommand.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private Path savedModel() throws Exception {
        Path dir = tmp.resolve("saved_model");
        Files.createDirectories(dir.resolve("variables"));
        Files.write(dir.resolve("saved_model.pb"), new byte[] {1, 2, 3, 4});
        Files.write(dir.resolve("variables/variables.data-00000-of-00001"), new byte[70_000]);
        Files.writeString(dir.resolve("variables/variables.index"), "index");
        Files.createDirectories(dir.resolve("assets")); // empty: contributes nothing
        return dir;
    }

    @Test
    void hashesMatchTheAgentsForAFileAndADirectory() throws Exception {
        Path file = tmp.resolve("model.onnx");
        byte[] bytes = new byte[200_000];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 31);
        }
        Files.write(file, bytes);
        Path dir = savedModel();

        assertThat(run("trust", file.toString(), dir.toString())).isZero();
        String expected =
                ModelHasher.of(file).hex
                        + "  "
                        + file
                        + "\n"
                        + ModelHasher.of(dir).hex
                        + "  "
                        + dir
                        + "\n";
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(expected);
        // a renamed file inside the directory changes its hash, as in the agent
        String before = ModelHasher.of(dir).hex;
        Files.move(dir.resolve("saved_model.pb"), dir.resolve("saved_model2.pb"));
        assertThat(ModelHasher.of(dir).hex).isNotEqualTo(before);
        assertThat(io.mlguard.collector.config.ModelDigest.sha256Hex(dir))
                .isEqualTo(ModelHasher.of(dir).hex);
    }

    @Test
    void theOutputFileIsAnAllowListTheCollectorReads() throws Exception {
        Path file = tmp.resolve("a.onnx");
        Files.writeString(file, "model");
        Path list = tmp.resolve("allow.txt");
        assertThat(run("trust", file.toString(), savedModel().toString(), "--out", list.toString()))
                .isZero();
        assertThat(out.size()).isZero();
        AllowList allow = AllowList.load(list);
        assertThat(allow.size()).isEqualTo(2);
        assertThat(allow.contains(ModelHasher.of(file).hex)).isTrue();
        assertThat(Files.readAllLines(list)).allMatch(l -> l.matches("[0-9a-f]{64}  .+"));
    }

    @Test
    void pathsWithBackslashesAreEscapedAsSha256sumDoes() throws Exception {
        String line = ModelsCommand.line("ab".repeat(32), "we\\ird\nname");
        assertThat(line).isEqualTo("\\" + "ab".repeat(32) + "  we\\\\ird\\nname\n");
        assertThat(AllowList.parse(List.of(line.strip()), "t").contains("ab".repeat(32))).isTrue();
    }

    @Test
    void badUsageIsExplained() {
        assertThat(run()).isEqualTo(2);
        assertThat(run("trust")).isEqualTo(2);
        assertThat(run("trust", "--bogus", "x")).isEqualTo(2);
        assertThat(run("trust", tmp.resolve("missing.onnx").toString())).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("expected 'trust'")
                .contains("unknown option --bogus")
                .contains("no such file or directory");
    }
}
