package io.mlguard.benchmarks;

import io.mlguard.collector.Collector;
import io.mlguard.collector.config.CollectorConfig;
import io.mlguard.protocol.InferenceRecord;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Collector throughput with every detector on (not a test; run by {@code
 * benchmarks/collector-throughput.sh}): writes {@code records} records of {@link SyntheticTraffic}
 * from {@code clients} distinct clients to a real Chronicle Queue, then, {@code iterations} times,
 * starts a real {@link Collector} with a fresh durable H2 store on it and times its one ingest
 * thread through the whole queue (decode, dispatcher, every detector, incident manager, batched
 * store commits). Prints records/s per iteration and their median without the first (warm-up), and
 * the heap after a full GC while the last collector still holds all its state, and the JVM's
 * garbage-collection pauses per quarter of the queue and per iteration ({@link GcPauses}).
 *
 * <p>Usage: {@code CollectorThroughput <work dir> [records] [clients] [iterations]}
 */
public final class CollectorThroughput {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private CollectorThroughput() {}

    public static void main(String[] args) throws Exception {
        Path dir = Paths.get(args[0]);
        int records = args.length > 1 ? Integer.parseInt(args[1]) : 500_000;
        int clients = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
        int iterations = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        if (Files.exists(dir)) {
            throw new IllegalArgumentException(dir + " exists; give a new directory");
        }
        Path queue = dir.resolve("queue");
        long written = write(queue, records, clients);
        System.out.printf(
                Locale.ROOT, "wrote %d records (%d clients) to %s%n", written, clients, queue);
        List<Double> rates = new ArrayList<>();
        List<Double> steadyRates = new ArrayList<>();
        GcPauses pauses = new GcPauses();
        for (int it = 1; it <= iterations; it++) {
            if (it > 1) {
                // the last iteration's collector, closed, is garbage that no collector in service
                // leaves behind: collect it before the clock starts, not in this iteration
                System.gc();
            }
            pauses.reset();
            CollectorConfig config =
                    CollectorConfig.of(queue, 0).withStateDir(dir.resolve("state-" + it));
            long start = System.nanoTime();
            try (Collector c = Collector.start(config)) {
                long ingest = ingestThreadId();
                // the pauses while each quarter of the queue is read: the first quarters build
                // the clients' state, the last ones run on it
                int quarter = 0;
                int mark = pauses.mark();
                long read;
                long firstQuarterRead = 0;
                long firstQuarterNanos = 0;
                while ((read = c.stats().recordsRead()) < written || quarter < 4) {
                    if (read * 4 / written > quarter) {
                        quarter++;
                        if (quarter == 1) {
                            firstQuarterRead = read;
                            firstQuarterNanos = System.nanoTime();
                        }
                        System.out.printf(
                                Locale.ROOT,
                                "  quarter %d of the queue: %s%n",
                                quarter,
                                pauses.summary(mark));
                        mark = pauses.mark();
                    } else {
                        Thread.sleep(1);
                    }
                }
                long end = System.nanoTime();
                double s = (end - start) / 1e9;
                double cpu = THREADS.getThreadCpuTime(ingest) / 1e9;
                double rate = written / cpu;
                rates.add(rate);
                // the wall-clock rate once started, its first quarter read: with the JVM pinned to
                // one core, what that core sustains, garbage collection and commits included,
                // without the start of a collector on a new store (and, there, the JIT's warm-up)
                double steady = (written - firstQuarterRead) / ((end - firstQuarterNanos) / 1e9);
                steadyRates.add(steady);
                System.out.printf(
                        Locale.ROOT,
                        "iteration %d: %d records in %.2f s wall (%.0f records/s; after the"
                                + " first quarter %.0f records/s), %.2f s CPU of the ingest thread"
                                + " = %.0f records per CPU-second; %d incidents, signals %s; %s%n",
                        it,
                        written,
                        s,
                        written / s,
                        steady,
                        cpu,
                        rate,
                        c.incidents().size(),
                        c.stats().signalsByDetector(),
                        pauses.summary());
                if (it == iterations) {
                    printMemory();
                }
            }
        }
        printMedian(rates, iterations, "records per CPU-second of the ingest thread");
        printMedian(steadyRates, iterations, "records/s wall-clock after the first quarter");
    }

    /** The median of the iterations after the first (warm-up), with their range. */
    private static void printMedian(List<Double> rates, int iterations, String what) {
        List<Double> measured =
                new ArrayList<>(rates.size() > 1 ? rates.subList(1, rates.size()) : rates);
        Collections.sort(measured);
        System.out.printf(
                Locale.ROOT,
                "median of iterations 2..%d: %.0f %s (min %.0f, max %.0f)%n",
                iterations,
                measured.get(measured.size() / 2),
                what,
                measured.get(0),
                measured.get(measured.size() - 1));
    }

    /**
     * The collector's one ingest thread. The machine is shared, so its CPU time, not the wall
     * clock, says what one core does.
     */
    private static long ingestThreadId() throws InterruptedException {
        while (true) {
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.getName().equals("mlguard-ingest")) {
                    return t.getId();
                }
            }
            Thread.sleep(1);
        }
    }

    private static long write(Path queue, int records, int clients) {
        SyntheticTraffic traffic = new SyntheticTraffic(clients, 42);
        try (ChronicleQueue q =
                        ChronicleQueue.singleBuilder(queue.toFile())
                                .rollCycle(RollCycles.FAST_HOURLY)
                                .build();
                ExcerptAppender a = q.createAppender()) {
            try (DocumentContext dc = a.writingDocument()) {
                SyntheticTraffic.load("mnist", SyntheticTraffic.MNIST_SHA, SyntheticTraffic.T0)
                        .writeTo(dc.wire().bytes());
            }
            try (DocumentContext dc = a.writingDocument()) {
                SyntheticTraffic.load("credit", SyntheticTraffic.CREDIT_SHA, SyntheticTraffic.T0)
                        .writeTo(dc.wire().bytes());
            }
            for (int i = 0; i < records; i++) {
                InferenceRecord r = traffic.record(i);
                try (DocumentContext dc = a.writingDocument()) {
                    r.writeTo(dc.wire().bytes());
                }
            }
        }
        return records + 2L;
    }

    /** Heap after a full GC and the process's resident set, with the collector's state live. */
    private static void printMemory() throws IOException {
        System.gc();
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        String rss =
                Files.readAllLines(Paths.get("/proc/self/status")).stream()
                        .filter(l -> l.startsWith("VmRSS") || l.startsWith("VmHWM"))
                        .map(l -> l.replaceAll("\\s+", " "))
                        .reduce((x, y) -> x + ", " + y)
                        .orElse("?");
        System.out.printf(
                Locale.ROOT,
                "heap after GC with the collector's state live: %.1f MB; %s%n",
                heap / 1e6,
                rss);
    }
}
