package io.mlguard.collector.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateAndTokenOptionsTest {
    private static final String TOKEN = "abcdefghijklmnop-0123";

    @TempDir Path dir;

    private static CollectorConfig parse(Map<String, String> env, String... more) throws Exception {
        String[] args = new String[more.length + 4];
        args[0] = "--queue";
        args[1] = "/var/lib/mlguard/queue";
        args[2] = "--http-port";
        args[3] = "0";
        System.arraycopy(more, 0, args, 4, more.length);
        return CommandLine.parse(env, args).config();
    }

    @Test
    void theStateDirDefaultsToASiblingOfTheQueue() throws Exception {
        CollectorConfig c = parse(Map.of());
        assertThat(c.stateDir()).isEqualTo(Path.of("/var/lib/mlguard/mlguard-state"));
        assertThat(c.apiToken()).isEmpty();
        assertThat(parse(Map.of(), "--state-dir", "/data/s").stateDir())
                .isEqualTo(Path.of("/data/s"));
    }

    @Test
    void theTokenComesFromAFileOrTheEnvironment() throws Exception {
        Path file = dir.resolve("token");
        Files.writeString(file, TOKEN + "\n");
        ApiToken fromFile = parse(Map.of(), "--api-token-file", file.toString()).apiToken().get();
        assertThat(fromFile.matches(TOKEN)).isTrue();
        assertThat(fromFile.matches(TOKEN + "x")).isFalse();
        assertThat(fromFile.matches(TOKEN.substring(1))).isFalse();
        assertThat(fromFile.matches(null)).isFalse();

        ApiToken fromEnv = parse(Map.of(CommandLine.TOKEN_ENV, TOKEN)).apiToken().get();
        assertThat(fromEnv.matches(TOKEN)).isTrue();
        // the file wins over the environment
        Files.writeString(file, "another-token-of-enough-length");
        assertThat(
                        parse(
                                        Map.of(CommandLine.TOKEN_ENV, TOKEN),
                                        "--api-token-file",
                                        file.toString())
                                .apiToken()
                                .get()
                                .matches(TOKEN))
                .isFalse();
    }

    @Test
    void weakOrUnreadableTokensStopStartUp() throws Exception {
        Path shortToken = dir.resolve("short");
        Files.writeString(shortToken, "123\n");
        assertThatThrownBy(() -> parse(Map.of(), "--api-token-file", shortToken.toString()))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("at least 16");
        assertThatThrownBy(
                        () -> parse(Map.of(), "--api-token-file", dir.resolve("nope").toString()))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("cannot read API token file");
        assertThatThrownBy(() -> parse(Map.of(CommandLine.TOKEN_ENV, "with space in the token")))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("MLGUARD_API_TOKEN");
        assertThatThrownBy(() -> parse(Map.of(), "--state-dir", " "))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("--state-dir");
    }
}
