package io.mlguard.collector.restart;

import io.mlguard.collector.QueueFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;

/**
 * An end-to-end throughput run (not a test): writes N records of {@link RecordStream} to a new
 * queue, starts the collector jar on it with its store, and times reading them all. Run from the
 * repository root after {@code mvn -pl collector -am package}:
 *
 * <pre>
 * java $(chronicle flags) -Dmlguard.collector.jar=collector/target/mlguard-collector.jar \
 *   -cp collector/target/mlguard-collector.jar:collector/target/test-classes \
 *   io.mlguard.collector.restart.IngestThroughput 1000000 /tmp/mlguard-throughput
 * </pre>
 */
public final class IngestThroughput {
    private IngestThroughput() {}

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        Path dir = Paths.get(args[1]);
        if (Files.exists(dir)) {
            throw new IllegalArgumentException(dir + " exists; give a new directory");
        }
        Path queue = dir.resolve("queue");
        RecordStream stream = new RecordStream(n);
        try (QueueFixture q = new QueueFixture(queue)) {
            for (int i = 0; i < n; i++) {
                stream.write(q, i);
            }
        }
        System.out.println("wrote " + n + " records to " + queue);
        try (ForkedCollector c =
                ForkedCollector.start(
                                dir.resolve("collector.log"),
                                "--queue",
                                queue.toString(),
                                "--http-port",
                                "0",
                                "--reference-window",
                                "20")
                        .awaitListening(Duration.ofSeconds(60))) {
            long start = System.nanoTime();
            long first = c.recordsRead();
            long read;
            while ((read = c.recordsRead()) < n) {
                Thread.sleep(10);
            }
            double s = (System.nanoTime() - start) / 1e9;
            System.out.printf(
                    "read %d records (%d before the first poll) in %.2f s after the API was up:"
                            + " %.0f records/s%n",
                    read, first, s, (read - first) / s);
            System.out.println("incidents: " + c.json("/api/incidents?limit=1000").size());
        }
    }
}
