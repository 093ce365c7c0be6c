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
 * {@code /proc/self/task}: CPU time, time spent ready to run but waiting for a core, and voluntary
 * context switches (each one a sleep, so a wake-up after it), over a measured stretch after a
 * warm-up. Run with and without {@code -javaagent:mlguard.jar}, it shows what the agent's own
 * threads (the summary thread, the queue pretouch thread, ...) cost besides the serving thread's
 * part, which the JMH benchmarks measure. Times come from each thread's {@code schedstat} in
 * nanoseconds (in clock ticks of 10 ms from its {@code stat} where the kernel keeps no schedstat,
 * with no waiting time).
 *
 * <p>ONNX Runtime's own threads show here too (named {@code java}, like the serving thread): an
 * intra-op pool that spins between its tasks keeps every core of a 2-core host busy, so whatever
 * CPU the agent's threads use is taken from the model's threads, and shows as their waiting time.
 *
 * <p>Usage: {@code AgentThreadCpu [warm-up seconds] [measured seconds]} (15 and 30); {@code
 * benchmarks/thread-cpu.sh} runs it with and without the agent.
 */
public final class AgentThreadCpu {
    private AgentThreadCpu() {}

    /**
     * One thread's counters: CPU and time waiting for a core in nanoseconds ({@code waitNanos} -1
     * where not known), voluntary context switches (it slept) and involuntary ones (another thread
     * took its core).
     */
    record Counts(String name, long cpuNanos, long waitNanos, long switches, long preempted) {}

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
                "per embedding, by thread (thread id): CPU us, us waiting for a core, voluntary"
                        + " switches (wake-ups), involuntary ones (its core taken)");
        double cpu = 0;
        double waited = 0;
        for (Map.Entry<String, Counts> e : after.entrySet()) {
            Counts a = e.getValue();
            Counts b = before.get(e.getKey());
            long cpuNanos = a.cpuNanos() - (b == null ? 0 : b.cpuNanos());
            long waitNanos =
                    a.waitNanos() < 0 ? -1 : a.waitNanos() - (b == null ? 0 : b.waitNanos());
            long switches = a.switches() - (b == null ? 0 : b.switches());
            long preempted = a.preempted() - (b == null ? 0 : b.preempted());
            cpu += cpuNanos;
            waited += Math.max(0, waitNanos);
            if (cpuNanos >= 100L * n || switches > n / 100) {
                System.out.printf(
                        Locale.ROOT,
                        "  %-24s %9.2f us %9s us %7.2f switches %7.3f preempted%n",
                        a.name() + " (" + e.getKey() + ")",
                        cpuNanos / 1000.0 / n,
                        waitNanos < 0
                                ? "-"
                                : String.format(Locale.ROOT, "%.2f", waitNanos / 1000.0 / n),
                        (double) switches / n,
                        (double) preempted / n);
            }
        }
        System.out.printf(
                Locale.ROOT,
                "  %-24s %9.2f us %9.2f us%n",
                "all threads",
                cpu / 1000.0 / n,
                waited / 1000.0 / n);
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

    /** A clock tick of {@code stat} in nanoseconds (USER_HZ is 100 on Linux). */
    private static final long TICK_NANOS = 10_000_000L;

    /**
     * A thread's name, CPU and waiting time (from {@code schedstat}: on-CPU and run-queue
     * nanoseconds; else CPU ticks from {@code stat}), voluntary and involuntary switches.
     */
    static Counts counts(Path task) throws IOException {
        String stat = Files.readString(task.resolve("stat"));
        int open = stat.indexOf('(');
        int close = stat.lastIndexOf(')'); // a name may hold ')' itself
        String name = stat.substring(open + 1, close);
        String[] fields = stat.substring(close + 2).split(" ");
        long cpuNanos;
        long waitNanos;
        Path schedstat = task.resolve("schedstat");
        if (Files.exists(schedstat)) {
            String[] times = Files.readString(schedstat).trim().split(" ");
            cpuNanos = Long.parseLong(times[0]);
            waitNanos = Long.parseLong(times[1]);
        } else {
            // utime and stime
            cpuNanos = (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * TICK_NANOS;
            waitNanos = -1;
        }
        long switches = 0;
        long preempted = 0;
        for (String line : Files.readAllLines(task.resolve("status"))) {
            if (line.startsWith("voluntary_ctxt_switches:")) {
                switches = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            } else if (line.startsWith("nonvoluntary_ctxt_switches:")) {
                preempted = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        return new Counts(name, cpuNanos, waitNanos, switches, preempted);
    }
}
