package io.mlguard.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mlguard.collector.config.CollectorConfig;
import io.mlguard.collector.config.CommandLine;
import io.mlguard.collector.config.UsageException;
import io.mlguard.collector.profile.ModelProfile;
import io.mlguard.collector.profile.ProfileFile;
import io.mlguard.collector.profile.RecordStatistics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileCommandTest {
    @TempDir Path tmp;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return ProfileCommand.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private Path queueWith(int records) {
        Path queue = tmp.resolve("queue");
        try (QueueFixture q = new QueueFixture(queue)) {
            for (int i = 0; i < records; i++) {
                q.write(
                        TestTraffic.classified(
                                "m",
                                "c",
                                TestRecords.T0 + i,
                                0.1 + i % 7 / 100.0,
                                0.3,
                                i % 10,
                                0.9,
                                20_000));
                q.write(
                        TestTraffic.classified(
                                "other", "c", TestRecords.T0 + i, 5, 1, 1, 0.5, 20_000));
            }
            q.writeUnknownVersion();
        }
        return queue;
    }

    @Test
    void buildsASavedProfileThatTheCollectorLoads() throws Exception {
        Path queue = queueWith(300);
        Path file = tmp.resolve("m.profile.json");
        int code =
                run(
                        "build",
                        "--queue",
                        queue.toString(),
                        "--model",
                        "m",
                        "--records",
                        "200",
                        "--out",
                        file.toString());
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("from 200 records");
        ModelProfile p = ProfileFile.load(file);
        assertThat(p.model()).isEqualTo("m");
        assertThat(p.records()).isEqualTo(200);
        assertThat(p.statistic(RecordStatistics.INPUT_MEAN).quantile(0)).isEqualTo(0.1);
        assertThat(p.classCounts()[3]).isEqualTo(20);

        CollectorConfig config =
                CommandLine.parse(
                                "--queue",
                                queue.toString(),
                                "--http-port",
                                "0",
                                "--profile",
                                file.toString())
                        .config();
        assertThat(config.profiles())
                .singleElement()
                .satisfies(x -> assertThat(x.model()).isEqualTo("m"));
        // the build read with an anonymous tailer: the collector still reads every record once
        try (Collector c = Collector.start(config)) {
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (c.stats().recordsRead() < 601 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(c.stats().recordsRead()).isEqualTo(601);
        }
    }

    @Test
    void aShortQueueGivesAWarningAndAMissingModelAnError() throws Exception {
        Path queue = queueWith(50);
        Path file = tmp.resolve("p.json");
        assertThat(
                        run(
                                "build",
                                "--queue",
                                queue.toString(),
                                "--model",
                                "m",
                                "--records",
                                "200",
                                "--out",
                                file.toString()))
                .isZero();
        assertThat(err.toString()).contains("only 50 of the 200");
        assertThat(
                        run(
                                "build",
                                "--queue",
                                queue.toString(),
                                "--model",
                                "nope",
                                "--records",
                                "5",
                                "--out",
                                tmp.resolve("x.json").toString()))
                .isEqualTo(1);
        assertThat(err.toString()).contains("no record of model 'nope'");
        assertThat(tmp.resolve("x.json")).doesNotExist();
        assertThat(
                        run(
                                "build",
                                "--queue",
                                tmp.resolve("none").toString(),
                                "--model",
                                "m",
                                "--records",
                                "5",
                                "--out",
                                file.toString()))
                .isEqualTo(1);
        assertThat(
                        run(
                                "build",
                                "--queue",
                                queue.toString(),
                                "--model",
                                "m",
                                "--records",
                                "zero",
                                "--out",
                                file.toString()))
                .isEqualTo(2);
        assertThat(run("build", "--queue", queue.toString())).isEqualTo(2);
        assertThat(run("list")).isEqualTo(2);
    }

    @Test
    void aBadProfileFileStopsTheCollectorWithAClearError() throws Exception {
        Path file = tmp.resolve("bad.json");
        Files.writeString(file, "{\"version\": 99}");
        assertThatThrownBy(
                        () ->
                                CommandLine.parse(
                                        "--queue",
                                        "q",
                                        "--http-port",
                                        "0",
                                        "--profile",
                                        file.toString()))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("version 99 is not supported");
        Files.writeString(file, "garbage");
        assertThatThrownBy(
                        () ->
                                CommandLine.parse(
                                        "--queue",
                                        "q",
                                        "--http-port",
                                        "0",
                                        "--profile",
                                        file.toString()))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("cannot read profile");
    }
}
