package io.mlguard.collector.config;

import static io.mlguard.collector.TestRecords.sha;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mlguard.protocol.ModelLoadRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AllowListTest {
    @TempDir Path dir;

    @Test
    void readsSha256sumOutputWithCommentsAndBinaryMode() throws Exception {
        Path file = dir.resolve("allow.txt");
        Files.writeString(
                file,
                "# models shipped by release 1.4\n"
                        + sha('a')
                        + "  models/mnist/model.onnx\n"
                        + "\n"
                        + sha('B')
                        + " *models/iris model.onnx\n"
                        + "   # indented comment\n");

        AllowList list = AllowList.load(file);

        assertThat(list.size()).isEqualTo(2);
        assertThat(list.contains(sha('a'))).isTrue();
        assertThat(list.contains(sha('b'))).isTrue(); // case does not matter
        assertThat(list.contains(sha('c'))).isFalse();
        assertThat(list.contains(null)).isFalse();
        assertThat(list.containsPrefix(ModelLoadRecord.hashPrefix(sha('a')))).isTrue();
        assertThat(list.containsPrefix(ModelLoadRecord.hashPrefix(sha('c')))).isFalse();
    }

    @Test
    void aMalformedLineIsAnErrorThatNamesTheLine() throws Exception {
        Path file = dir.resolve("allow.txt");
        Files.writeString(file, "# ok\n" + sha('a') + "  good.onnx\n" + "abc123  short.onnx\n");

        assertThatThrownBy(() -> AllowList.load(file))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("line 3")
                .hasMessageContaining("abc123  short.onnx")
                .hasMessageContaining("64 hex");
    }

    @Test
    void aHashWithANonHexCharacterIsMalformed() {
        assertThatThrownBy(() -> AllowList.parse(List.of("g" + sha('a').substring(1) + "  x"), "f"))
                .hasMessageContaining("line 1");
    }

    @Test
    void anEmptyListIsAnError() {
        assertThatThrownBy(() -> AllowList.parse(List.of("# nothing yet"), "f"))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("no hash");
    }

    @Test
    void aMissingFileIsAClearError() {
        assertThatThrownBy(() -> AllowList.load(dir.resolve("missing.txt")))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("cannot read allow-list")
                .hasMessageContaining("missing.txt");
    }
}
