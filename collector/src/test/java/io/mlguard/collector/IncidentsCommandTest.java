package io.mlguard.collector;

import static io.mlguard.collector.TestRecords.load;
import static io.mlguard.collector.TestRecords.nanInference;
import static io.mlguard.collector.TestRecords.sha;
import static org.assertj.core.api.Assertions.assertThat;

import io.mlguard.collector.config.CollectorConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IncidentsCommandTest {
    private static final long T0 = 1_700_000_000_000L;
    private static final String ESCAPE_CLIENT = "evil\u001b[2J\u001b]0;pwned\u0007";

    @TempDir Path tmp;
    Collector collector;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void start() throws Exception {
        Path queue = tmp.resolve("queue");
        try (QueueFixture q = new QueueFixture(queue)) {
            q.write(load("mnist", sha('a'), T0));
            q.write(nanInference("mnist", ESCAPE_CLIENT, T0 + 1));
        }
        collector = Collector.start(CollectorConfig.of(queue, 0));
    }

    @AfterEach
    void stop() {
        collector.close();
    }

    private int run(String... args) {
        return IncidentsCommand.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String url() {
        return "http://127.0.0.1:" + collector.port();
    }

    @Test
    void waitsForTheExpectedTypesAndPrintsThemWithoutTerminalEscapes() {
        int code = run("--url", url(), "--expect", "invalid_input", "--wait", "20");

        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(printed).contains("1 incident(s)").contains("invalid_input").contains("mnist");
        assertThat(printed).contains("evil?[2J?]0;pwned?");
        assertThat(printed).doesNotContain("\u001b").doesNotContain("\u0007");
    }

    @Test
    void aMissingTypeEndsWithExitCodeThreeAndSaysWhich() {
        int code =
                run("--url", url(), "--expect", "invalid_input,model_substitution", "--wait", "1");

        assertThat(code).isEqualTo(3);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("expected incident types not seen: model_substitution");
    }

    @Test
    void badArgumentsAndAnUnreachableCollectorAreClearErrors() {
        assertThat(run("--wait", "x")).isEqualTo(2);
        assertThat(run("--expect", "a")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--url is required");
        assertThat(run("--url", "http://127.0.0.1:1")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("cannot reach http://127.0.0.1:1");
    }
}
