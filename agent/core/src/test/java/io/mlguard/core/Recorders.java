package io.mlguard.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlguard.core.config.AgentConfig;
import io.mlguard.core.control.ControlRules;
import io.mlguard.core.queue.QueueWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Recorders on real queues for the deferral tests, each under {@code dir/<name>}, its queue opened
 * in the background and waited for; their writers are closed together.
 */
final class Recorders implements AutoCloseable {
    private final Path dir;
    private final List<QueueWriter> all = new ArrayList<>();

    /** Each recorder's counters and queue writer, by name. */
    final Map<String, AgentCounters> counters = new LinkedHashMap<>();

    final Map<String, QueueWriter> writers = new LinkedHashMap<>();

    Recorders(Path dir) {
        this.dir = dir;
    }

    /**
     * A recorder named {@code name} with the agent arguments {@code args} (after a queue under
     * {@code dir}, {@code minFreeDiskMb=1} and no stats records; {@code asyncWrite} as they say),
     * the fake runtime {@code runtime} and the test requests; its queue is open.
     */
    InferenceRecorder open(
            String name, String args, ControlRules rules, RuntimeAdapter runtime, long minFreeBytes)
            throws InterruptedException {
        return open(name, args, rules, runtime, minFreeBytes, null);
    }

    /**
     * As above; with {@code deferOnSpareCore} (the default), its summary thread reads {@code
     * headroom} if not {@code null}, else this host's {@code /proc}.
     */
    InferenceRecorder open(
            String name,
            String args,
            ControlRules rules,
            RuntimeAdapter runtime,
            long minFreeBytes,
            CpuHeadroom headroom)
            throws InterruptedException {
        AgentConfig config =
                AgentConfig.load(
                        "queue="
                                + dir.resolve(name)
                                + ",minFreeDiskMb=1,statsIntervalSeconds=0"
                                + args,
                        Map.of());
        AgentCounters c = new AgentCounters();
        counters.put(name, c);
        QueueWriter writer =
                QueueWriter.create(config.queueDir, c, minFreeBytes, config.asyncWrite);
        track(writer);
        writers.put(name, writer);
        writer.openInBackground(Recorders.class.getClassLoader());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!writer.isOpen() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(writer.isOpen()).as("queue %s open", name).isTrue();
        return new InferenceRecorder(
                config,
                writer,
                c,
                new RuntimeAdapter[] {runtime},
                new RequestAdapter[] {EnforcementTest.REQUESTS},
                rules,
                !config.deferOnSpareCore ? null : headroom != null ? headroom : new CpuHeadroom());
    }

    /** A writer made elsewhere, to be closed with the others. */
    void track(QueueWriter writer) {
        all.add(writer);
    }

    @Override
    public void close() {
        all.forEach(QueueWriter::close);
    }
}
