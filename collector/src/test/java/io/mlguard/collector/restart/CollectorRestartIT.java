package io.mlguard.collector.restart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlguard.collector.QueueFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The forked collector jar is SIGKILLed several times in the middle of a stream while records are
 * still being appended, and restarted each time. At the end every record has been read exactly once
 * and the incidents are exactly those of an uninterrupted run over the same records: same ids,
 * counts, first and last seen, clients, reasons and evidence.
 */
class CollectorRestartIT {
    private static final int RECORDS = 100_000;
    private static final int KILLS = 4;
    private static final Duration START = Duration.ofSeconds(60);

    @TempDir Path tmp;

    @Test
    void killedCollectorsLoseNothingAndRepeatNothing() throws Exception {
        RecordStream stream = new RecordStream(RECORDS);
        Map<String, String> reference = referenceRun(stream);
        assertThat(reference).hasSizeGreaterThan(10);

        Path queue = tmp.resolve("run/queue");
        Path log = tmp.resolve("run.log");
        AtomicInteger written = new AtomicInteger();
        long started = System.nanoTime();
        List<String> kills = new ArrayList<>();
        int killsWhileAppending = 0;
        // Chronicle appenders belong to one thread: every append happens on this one.
        ExecutorService writer = Executors.newSingleThreadExecutor();
        QueueFixture q = writer.submit(() -> new QueueFixture(queue)).get();
        try {
            // A first part before anything runs, so the collector has a backlog to work through.
            writer.submit(() -> appendUpTo(q, stream, RECORDS / 10, written)).get();
            for (int k = 0; k < KILLS; k++) {
                int target = RECORDS / 10 + (k + 1) * (RECORDS * 8 / 10) / KILLS;
                try (ForkedCollector c = start(queue, log)) {
                    long before = c.recordsRead();
                    Future<?> appender =
                            writer.submit(() -> appendSlowly(q, stream, target, written));
                    // Kill once this run has made progress, at a random moment after that.
                    while (c.recordsRead() < before + 1_000) {
                        Thread.sleep(5);
                    }
                    Thread.sleep(ThreadLocalRandom.current().nextInt(0, 150));
                    boolean appending = !appender.isDone();
                    // read first: the appender and the collector both move on meanwhile, and a
                    // collector that has caught up would otherwise seem to have read more than
                    // was written (14,600 of 14,550 once, a batch of 50 later)
                    long readAtKill = c.recordsRead(); // may move on a little before the kill
                    int writtenAtKill = written.get();
                    c.kill();
                    kills.add(
                            "kill "
                                    + (k + 1)
                                    + ": ~"
                                    + readAtKill
                                    + " read of "
                                    + writtenAtKill
                                    + " written"
                                    + (appending ? " (appender still running)" : ""));
                    appender.get();
                    // Mid-stream: more still to be written (the collector may have caught up).
                    assertThat(readAtKill).isLessThanOrEqualTo(writtenAtKill).isLessThan(RECORDS);
                    if (appending) {
                        killsWhileAppending++;
                    }
                }
            }
            writer.submit(() -> appendUpTo(q, stream, RECORDS, written)).get();
        } finally {
            writer.submit(q::close).get();
            writer.shutdown();
        }
        Map<String, String> afterKills;
        try (ForkedCollector c = start(queue, log)) {
            awaitRead(c, RECORDS);
            Thread.sleep(500); // nothing more may come
            JsonNode health = c.json("/healthz");
            assertThat(health.get("recordsRead").asLong()).isEqualTo(RECORDS);
            assertThat(health.get("malformedRecords").asLong()).isEqualTo(malformedCount());
            afterKills = incidents(c);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf(
                "restart test: %d records, %d SIGKILLs, %.1f s%n  %s%n",
                RECORDS, KILLS, seconds, String.join("\n  ", kills));
        assertThat(kills).hasSize(KILLS);
        // The appender writes each part over 2 s or more; a kill comes ~1,000 records in.
        assertThat(killsWhileAppending).isPositive();
        assertThat(afterKills.keySet()).isEqualTo(reference.keySet());
        assertThat(afterKills).isEqualTo(reference);
    }

    private Map<String, String> referenceRun(RecordStream stream) throws Exception {
        Path queue = tmp.resolve("reference/queue");
        try (QueueFixture q = new QueueFixture(queue)) {
            appendUpTo(q, stream, RECORDS, new AtomicInteger());
        }
        try (ForkedCollector c = start(queue, tmp.resolve("reference.log"))) {
            awaitRead(c, RECORDS);
            JsonNode health = c.json("/healthz");
            assertThat(health.get("malformedRecords").asLong()).isEqualTo(malformedCount());
            Map<String, String> incidents = incidents(c);
            // The stream's known incidents are all there: NaN, out-of-range, substitution.
            assertThat(incidents.values())
                    .anyMatch(s -> s.contains("nan_or_inf"))
                    .anyMatch(s -> s.contains("out_of_range"))
                    .anyMatch(s -> s.contains("hash_changed"));
            return incidents;
        }
    }

    private static long malformedCount() {
        long n = 0;
        for (int i = 5; i < RECORDS; i++) {
            if (i % 1009 == 0 && i != RECORDS * 2 / 5) {
                n++;
            }
        }
        return n;
    }

    private static ForkedCollector start(Path queue, Path log) throws Exception {
        return ForkedCollector.start(
                        log,
                        "--queue",
                        queue.toString(),
                        "--http-port",
                        "0",
                        "--reference-window",
                        "20")
                .awaitListening(START);
    }

    private static void awaitRead(ForkedCollector c, long n) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        long read;
        while ((read = c.recordsRead()) < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("read " + read + " of " + n + ":\n" + c.tail());
            }
            Thread.sleep(20);
        }
    }

    /** Every incident as the fields that must not depend on restarts (not createdAt). */
    private static Map<String, String> incidents(ForkedCollector c) throws Exception {
        Map<String, String> m = new TreeMap<>();
        JsonNode list = c.json("/api/incidents?limit=1000");
        assertThat(list.size()).isLessThan(1000);
        for (JsonNode i : list) {
            m.put(
                    i.get("id").asText(),
                    String.join(
                            " ",
                            i.get("type").asText(),
                            i.get("severity").asText(),
                            i.get("model").asText(),
                            "count=" + i.get("count").asLong(),
                            "first=" + i.get("firstSeen").asLong(),
                            "last=" + i.get("lastSeen").asLong(),
                            "clients=" + i.get("clients"),
                            "reasons=" + i.get("reasons"),
                            "evidence=" + i.get("evidence")));
        }
        return m;
    }

    private static void appendUpTo(QueueFixture q, RecordStream s, int end, AtomicInteger written) {
        for (int i = written.get(); i < end; i++) {
            written.incrementAndGet(); // before: once appended, a record may be read at once
            s.write(q, i);
        }
    }

    /** Appends in slices of 50 with a pause between (at most 10,000 a second). */
    private static void appendSlowly(
            QueueFixture q, RecordStream s, int end, AtomicInteger written) {
        while (written.get() < end) {
            appendUpTo(q, s, Math.min(end, written.get() + 50), written);
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
