package io.mlguard.collector;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CollectorMainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return CollectorMain.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void helpPrintsUsageAndExitsZero() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("usage:").contains("--queue DIR");
    }

    @Test
    void aBadOptionIsAOneLineErrorAndExitCode2() {
        assertThat(run("--queue", "q", "--http-port", "x")).isEqualTo(2);
        String e = err.toString(StandardCharsets.UTF_8);
        assertThat(e).startsWith("mlguard-collector: --http-port").endsWith(System.lineSeparator());
        assertThat(e.strip()).doesNotContain("\n");
        assertThat(run("--bogus")).isEqualTo(2);
    }
}
