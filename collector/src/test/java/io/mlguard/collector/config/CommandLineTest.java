package io.mlguard.collector.config;

import static io.mlguard.collector.TestRecords.sha;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandLineTest {
    @TempDir Path dir;

    @Test
    void parsesEveryOption() throws Exception {
        Path allow = dir.resolve("allow.txt");
        Files.writeString(allow, sha('a') + "  m.onnx\n");

        CollectorConfig c =
                CommandLine.parse(
                                "--queue",
                                "/tmp/q",
                                "--http-port=8080",
                                "--allow-list",
                                allow.toString(),
                                "--reference-window",
                                "50",
                                "--report-dir",
                                "/tmp/r")
                        .config();

        assertThat(c.queueDir()).isEqualTo(Path.of("/tmp/q"));
        assertThat(c.httpPort()).isEqualTo(8080);
        assertThat(c.allowList()).get().extracting(AllowList::size).isEqualTo(1);
        assertThat(c.referenceWindow()).isEqualTo(50);
        assertThat(c.reportDir()).contains(Path.of("/tmp/r"));
    }

    @Test
    void defaults() throws Exception {
        CollectorConfig c = CommandLine.parse("--queue", "q", "--http-port", "0").config();
        assertThat(c.referenceWindow()).isEqualTo(200);
        assertThat(c.allowList()).isEmpty();
        assertThat(c.reportDir()).isEmpty();
    }

    @Test
    void aResponsePolicyThatBlocksNeedsAControlQueue() throws Exception {
        Path policy = dir.resolve("policy.json");
        Files.writeString(
                policy, "{\"rules\": [{\"types\": [\"query_attack\"], \"block\": \"PT10M\"}]}");
        assertError(
                "--response-policy blocks or throttles clients: give --control-queue DIR",
                "--queue",
                "q",
                "--http-port",
                "0",
                "--response-policy",
                policy.toString());

        CollectorConfig c =
                CommandLine.parse(
                                "--queue",
                                "q",
                                "--http-port",
                                "0",
                                "--response-policy",
                                policy.toString(),
                                "--control-queue",
                                "ctl")
                        .config();
        assertThat(c.responsePolicy()).get().extracting(p -> p.rules().size()).isEqualTo(1);
        assertThat(c.controlQueue()).contains(Path.of("ctl"));

        Files.writeString(policy, "{\"rules\": [{\"types\": [\"drift\"]}]}");
        assertError(
                "--response-policy: " + policy + ": rules[0]: unknown incident type 'drift'",
                "--queue",
                "q",
                "--http-port",
                "0",
                "--response-policy",
                policy.toString());
    }

    @Test
    void help() throws Exception {
        assertThat(CommandLine.parse("--queue", "q", "--help").helpRequested()).isTrue();
        assertThat(CommandLine.USAGE).contains("--queue DIR").contains("--http-port N");
    }

    @Test
    void badOptionsAndValuesAreOneLineErrors() {
        assertError("unknown option '--verbose'", "--queue", "q", "--http-port", "0", "--verbose");
        assertError("unexpected argument 'extra'", "--queue", "q", "--http-port", "0", "extra");
        assertError("--queue DIR is required", "--http-port", "0");
        assertError("--http-port N is required", "--queue", "q");
        assertError("--http-port needs a value", "--queue", "q", "--http-port");
        assertError(
                "--http-port needs a whole number, got 'http'",
                "--queue",
                "q",
                "--http-port",
                "http");
        assertError(
                "--http-port must be between 0 and 65535, got 70000",
                "--queue",
                "q",
                "--http-port",
                "70000");
        assertError(
                "--reference-window must be between 1",
                "--queue",
                "q",
                "--http-port",
                "0",
                "--reference-window",
                "0");
        assertError("--queue needs a non-empty path", "--queue=", "--http-port", "0");
    }

    @Test
    void aMalformedAllowListStopsStartUp() throws Exception {
        Path allow = dir.resolve("allow.txt");
        Files.writeString(allow, "not a hash\n");
        assertError("line 1", "--queue", "q", "--http-port", "0", "--allow-list", allow.toString());
    }

    private static void assertError(String message, String... args) {
        assertThatThrownBy(() -> CommandLine.parse(args))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void anLlmConfigIsLoadedAndAMalformedOneIsAClearError(@TempDir Path dir) throws Exception {
        Path good = dir.resolve("llm.properties");
        Files.writeString(good, "baseUrl=http://127.0.0.1:11434\nprovider=ollama\nmodel=llama3\n");
        CollectorConfig c =
                CommandLine.parse(
                                "--queue", "q", "--http-port", "0", "--llm-config", good.toString())
                        .config();
        assertThat(c.llm()).isPresent();
        assertThat(c.llm().get().model()).isEqualTo("llama3");
        assertThat(c.withReferenceWindow(3).llm()).isPresent();

        Path bad = dir.resolve("llm.json");
        Files.writeString(bad, "{\"model\": 3");
        assertThatThrownBy(
                        () ->
                                CommandLine.parse(
                                        "--queue",
                                        "q",
                                        "--http-port",
                                        "0",
                                        "--llm-config",
                                        bad.toString()))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("--llm-config")
                .hasMessageContaining("llm.json");
    }
}
