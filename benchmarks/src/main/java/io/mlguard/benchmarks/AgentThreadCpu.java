package io.mlguard.benchmarks;

import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What each thread of this JVM spends per sentence embedding ({@link MiniLmEmbedding}'s), read from
 * {@code /proc/self/task}: CPU time and voluntary context switches (each one a sleep, so a wake-up
 * after it), over a measured stretch after a warm-up. Run with and without {@code
 * -javaagent:mlguard.jar}, it shows what the agent's own threads (the summary thread, the queue
 * pretouch thread, ...) cost besides the serving thread's part, which the JMH benchmarks measure.
 * CPU is counted in clock ticks (10 ms), so the stretch should be tens of seconds.
 *
 * <p>Usage: {@code AgentThreadCpu [warm-up seconds] [measured seconds]} (15 and 30); {@code
 * benchmarks/thread-cpu.sh} runs it with and without the agent.
 */
public final class AgentThreadCpu {
    private AgentThreadCpu() {}

    /**
     * One thread's counters: CPU in clock ticks, voluntary context switches (it slept) and
     * involuntary ones (another thread took its core).
     */
    record Counts(String name, long ticks, long switches, long preempted) {}

    public static void main(String[] args) throws Exception {
        long warmUp = args.length > 0 ? Long.parseLong(args[0]) : 15;
        long measured = args.length > 1 ? Long.parseLong(args[1]) : 30;
        AllMiniLmL6V2EmbeddingModel model = new AllMiniLmL6V2EmbeddingModel();
        float sink = 0;
        long until = System.nanoTime() + warmUp * 1_000_000_000L;
        while (System.nanoTime() < until) {
            sink += model.embed(MiniLmEmbedding.SENTENCE).content().vector()[0];
        }
        Map<String, Counts> before = threads();
        long start = System.nanoTime();
        until = start + measured * 1_000_000_000L;
        long n = 0;
        while (System.nanoTime() < until) {
            sink += model.embed(MiniLmEmbedding.SENTENCE).content().vector()[0];
            n++;
        }
        long took = System.nanoTime() - start;
        Map<String, Counts> after = threads();
        System.out.printf(
                Locale.ROOT,
                "%d embeddings in %d s, %.1f us each (%s)%n",
                n,
                measured,
                took / 1000.0 / n,
                sink == 0 ? "all zero" : "checked");
        System.out.println(
                "per embedding, by thread (thread id): CPU us, voluntary switches (wake-ups),"
                        + " involuntary ones (its core taken)");
        double tickMicros = 1_000_000.0 / 100; // USER_HZ, 100 on Linux
        double total = 0;
        for (Map.Entry<String, Counts> e : after.entrySet()) {
            Counts a = e.getValue();
            Counts b = before.get(e.getKey());
            long ticks = a.ticks() - (b == null ? 0 : b.ticks());
            long switches = a.switches() - (b == null ? 0 : b.switches());
            long preempted = a.preempted() - (b == null ? 0 : b.preempted());
            total += ticks;
            if (ticks > 0 || switches > n / 100) {
                System.out.printf(
                        Locale.ROOT,
                        "  %-24s %9.2f us %7.2f switches %7.3f preempted%n",
                        a.name() + " (" + e.getKey() + ")",
                        ticks * tickMicros / n,
                        (double) switches / n,
                        (double) preempted / n);
            }
        }
        System.out.printf(Locale.ROOT, "  %-24s %9.2f us%n", "all threads", total * tickMicros / n);
    }

    /** Every thread of this process now, by thread id. */
    static Map<String, Counts> threads() throws IOException {
        Map<String, Counts> all = new TreeMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Paths.get("/proc/self/task"))) {
            for (Path task : tasks) {
                try {
                    all.put(task.getFileName().toString(), counts(task));
                } catch (IOException | RuntimeException e) {
                    // the thread ended between the listing and the read
                }
            }
        }
        return all;
    }

    /** A thread's name, CPU ticks (user and system), voluntary and involuntary switches. */
    static Counts counts(Path task) throws IOException {
        String stat = Files.readString(task.resolve("stat"));
        int open = stat.indexOf('(');
        int close = stat.lastIndexOf(')'); // a name may hold ')' itself
        String name = stat.substring(open + 1, close);
        String[] fields = stat.substring(close + 2).split(" ");
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
        long switches = 0;
        long preempted = 0;
        for (String line : Files.readAllLines(task.resolve("status"))) {
            if (line.startsWith("voluntary_ctxt_switches:")) {
                switches = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            } else if (line.startsWith("nonvoluntary_ctxt_switches:")) {
                preempted = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        return new Counts(name, ticks, switches, preempted);
    }
}
