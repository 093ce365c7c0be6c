package io.mlguard.benchmarks;

import io.mlguard.protocol.AgentStatsRecord;
import io.mlguard.protocol.InferenceRecord;
import io.mlguard.protocol.RecordType;
import io.mlguard.protocol.Records;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * The agent's own account of its capture time inside a real inference, read back from the queue
 * that the JMH forks with the agent wrote (run-jmh.sh runs them with stats every second). The agent
 * times one inference in 64 ({@code captureSampleEvery}) from the end of the call to the end of its
 * own work on the serving thread (the queue write; with {@code deferSummaries=true}, the hand-over
 * of the copied tensors to the summary thread); per fork (one agent id each) this prints that time
 * per sampled inference over the fork's last two thirds of stats records (warm-up left out), which
 * is the part of the added time spent on the serving thread itself, measured where the end-to-end
 * difference of two forks is lost in their noise.
 *
 * <p>Usage: {@code AgentCaptureInSitu <queue dir>}
 */
public final class AgentCaptureInSitu {
    /** Agents whose model is looked up: every JMH fork is one; more is not a JMH run. */
    private static final int MAX_AGENTS = 1000;

    private AgentCaptureInSitu() {}

    /** One agent's stats records, in order. */
    record Sample(
            long uptimeMillis,
            long inferences,
            long samples,
            long sampleNanos,
            long inline,
            long notSampled) {}

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: AgentCaptureInSitu <queue dir>");
            System.exit(2);
        }
        Path dir = Paths.get(args[0]);
        if (!Files.isDirectory(dir)) {
            System.err.println("no queue at " + dir + " (were the forks with the agent run?)");
            System.exit(2);
        }
        Map<String, List<Sample>> byAgent = new LinkedHashMap<>();
        Map<String, String> models = new HashMap<>(); // agent id -> the model it ran
        try (ChronicleQueue q = ChronicleQueue.singleBuilder(dir).readOnly(true).build()) {
            ExcerptTailer t = q.createTailer();
            while (true) {
                try (DocumentContext dc = t.readingDocument()) {
                    if (!dc.isPresent()) {
                        break;
                    }
                    Bytes<?> b = dc.wire().bytes();
                    long start = b.readPosition();
                    RecordType type = Records.readHeader(b);
                    b.readPosition(start);
                    if (type == RecordType.INFERENCE && models.size() < MAX_AGENTS) {
                        InferenceRecord r = (InferenceRecord) Records.read(b);
                        models.putIfAbsent(r.agentId, r.modelId);
                        continue;
                    }
                    if (type != RecordType.AGENT_STATS) {
                        continue;
                    }
                    AgentStatsRecord s = (AgentStatsRecord) Records.read(b);
                    byAgent.computeIfAbsent(s.agentId, k -> new ArrayList<>())
                            .add(
                                    new Sample(
                                            s.uptimeMillis,
                                            s.inferencesRecorded,
                                            s.captureSamples,
                                            s.captureSampleNanos,
                                            s.recordsWrittenInline,
                                            s.inferencesNotSampled));
                }
            }
        }
        if (byAgent.isEmpty()) {
            System.out.println("no agent stats records in " + dir);
            return;
        }
        System.out.println(
                "agent's own capture time per inference (end of the call to the end of"
                        + " the serving thread's part: the queue write, or the hand-over with"
                        + " deferSummaries; one inference in captureSampleEvery timed), per fork:");
        for (Map.Entry<String, List<Sample>> e : byAgent.entrySet()) {
            System.out.println(
                    "  "
                            + models.getOrDefault(e.getKey(), "?")
                            + " (agent "
                            + e.getKey()
                            + "): "
                            + steadyState(e.getValue()));
        }
    }

    /** The capture time per sample over the last two thirds of one agent's stats records. */
    static String steadyState(List<Sample> series) {
        Sample last = series.get(series.size() - 1);
        Sample from = series.get(series.size() / 3);
        long samples = last.samples() - from.samples();
        if (samples <= 0) {
            return String.format(
                    Locale.ROOT,
                    "%d inferences, too few timed samples after warm-up (%d in all)",
                    last.inferences(),
                    last.samples());
        }
        double micros = (last.sampleNanos() - from.sampleNanos()) / 1000.0 / samples;
        return String.format(
                        Locale.ROOT,
                        "%.2f us over %d samples (%d inferences in %d s; all samples, warm-up included:"
                                + " %.2f us); records the serving thread wrote itself because a ring to an"
                                + " agent thread was full: %.2f %% of the inferences after warm-up",
                        micros,
                        samples,
                        last.inferences(),
                        last.uptimeMillis() / 1000,
                        last.samples() == 0
                                ? Double.NaN
                                : last.sampleNanos() / 1000.0 / last.samples(),
                        100.0
                                * (last.inline() - from.inline())
                                / Math.max(1, last.inferences() - from.inferences()))
                + notSampled(from, last);
    }

    /**
     * The share of inferences a sampling command left out after warm-up ({@link MiniLmCaptureTurns}
     * leaves out nearly all in every other iteration), or nothing when none was.
     */
    static String notSampled(Sample from, Sample last) {
        long left = last.notSampled() - from.notSampled();
        if (last.notSampled() == 0) {
            return "";
        }
        long all = left + last.inferences() - from.inferences();
        return String.format(
                Locale.ROOT,
                "; left out by a sampling command: %.1f %% of the inferences after warm-up",
                100.0 * left / Math.max(1, all));
    }
}
