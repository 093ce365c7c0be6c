package io.mlguard.collector;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlguard.collector.respond.ControlQueueWriter;
import io.mlguard.protocol.ControlRecord;
import io.mlguard.protocol.Records;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An operator's commands land in the control queue as the agents read them, or are refused. */
class ControlCommandTest {
    @TempDir Path tmp;
    Path queue;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void controlQueue() {
        queue = tmp.resolve("control");
        new ControlQueueWriter(queue).close(); // as the collector makes it with --control-queue
    }

    private int run(String... args) {
        return ControlCommand.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    /** The commands in the control queue, decoded (and checked) as an agent decodes them. */
    private List<ControlRecord> commands() {
        List<ControlRecord> got = new ArrayList<>();
        try (ChronicleQueue q = ChronicleQueue.singleBuilder(queue).build()) {
            ExcerptTailer t = q.createTailer();
            while (true) {
                try (DocumentContext dc = t.readingDocument()) {
                    if (!dc.isPresent()) {
                        return got;
                    }
                    got.add((ControlRecord) Records.read(dc.wire().bytes()));
                }
            }
        }
    }

    @Test
    void sampleThrottleBlockAndLiftAreWrittenForTheAgents() {
        long before = System.currentTimeMillis();
        String q = queue.toString();
        assertThat(
                        run(
                                "sample",
                                "--control-queue",
                                q,
                                "--client",
                                "*",
                                "--every",
                                "10",
                                "--for",
                                "PT10M"))
                .as(err.toString(StandardCharsets.UTF_8))
                .isZero();
        assertThat(
                        run(
                                "throttle",
                                "--control-queue",
                                q,
                                "--client",
                                "mallory",
                                "--model",
                                "mnist",
                                "--per-second",
                                "2.5",
                                "--for",
                                "PT5M",
                                "--reason",
                                "ticket 42"))
                .isZero();
        assertThat(run("block", "--control-queue", q, "--client", "eve", "--for", "PT1H")).isZero();
        assertThat(run("lift", "--control-queue", q, "--client", "eve")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("SAMPLE client=* ");

        List<ControlRecord> c = commands();
        assertThat(c)
                .extracting(r -> r.action)
                .containsExactly(
                        ControlRecord.Action.SAMPLE,
                        ControlRecord.Action.THROTTLE,
                        ControlRecord.Action.BLOCK,
                        ControlRecord.Action.LIFT);
        assertThat(c.get(0).clientId).isEqualTo(ControlRecord.EVERY_CLIENT);
        assertThat(c.get(0).recordEvery).isEqualTo(10);
        assertThat(c.get(0).expiresAtMillis).isBetween(before + 600_000, before + 660_000);
        assertThat(c.get(1).model).isEqualTo("mnist");
        assertThat(c.get(1).ratePerSecond).isEqualTo(2.5);
        assertThat(c.get(1).reason).isEqualTo("ticket 42");
        assertThat(c.get(2).expiresAtMillis - c.get(2).timestampMillis).isEqualTo(3_600_000);
        assertThat(c).allSatisfy(r -> assertThat(r.issuedBy).isEqualTo(ControlCommand.ISSUER));
    }

    @Test
    void commandsAgentsWouldRefuseAreRefusedHereAndNothingIsWritten() {
        String q = queue.toString();
        String[][] bad = {
            {"pause", "--control-queue", q, "--client", "x", "--for", "PT1M"},
            {"sample", "--control-queue", q, "--client", "x", "--for", "PT1M"},
            {"sample", "--control-queue", q, "--client", "x", "--every", "0", "--for", "PT1M"},
            {"sample", "--control-queue", q, "--client", "x", "--every", "ten", "--for", "PT1M"},
            {"throttle", "--control-queue", q, "--client", "x", "--for", "PT1M"},
            {"block", "--control-queue", q, "--client", "x"},
            {"block", "--control-queue", q, "--client", "x", "--for", "15 minutes"},
            {"block", "--control-queue", q, "--client", "x", "--for", "-PT1M"},
            {"block", "--control-queue", q, "--client", "x", "--for", "PT1M", "--every", "3"},
            {"block", "--control-queue", q, "--for", "PT1M"},
            {"block", "--client", "x", "--for", "PT1M"},
            {"lift", "--control-queue", q, "--client", "x", "--for", "PT1M"},
            {"block", "--control-queue", q, "--client", "x", "--for"},
        };
        for (String[] args : bad) {
            err.reset();
            assertThat(run(args)).as(String.join(" ", args)).isEqualTo(2);
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("usage:");
        }
        assertThat(commands()).isEmpty();
        assertThat(
                        run(
                                "block",
                                "--control-queue",
                                tmp.resolve("typo").toString(),
                                "--client",
                                "x",
                                "--for",
                                "PT1M"))
                .isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("no control queue at");
        assertThat(Files.exists(tmp.resolve("typo"))).as("no queue made by a typo").isFalse();
    }
}
