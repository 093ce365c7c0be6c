package io.mlguard.benchmarks.detection;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The end-to-end detection benchmark (run on purpose by {@code benchmarks/detection.sh}, never in
 * CI): the demo server runs with the real agent, the real collector tails the real queue, and the
 * demo traffic generator plays each scenario over HTTP. Each session starts a fresh collector and
 * server; attack runs each use a fresh client id and seed. The opening record of every incident is
 * found in the queue (see {@link QueueRecords}), which gives queries until detection exactly; an
 * API poller gives the time from the inference to the incident in the API.
 *
 * <p>Usage: {@code DetectionBenchmark <work dir> <agent jar> <collector jar> <demo jar> <runs>
 * [java]}. The environment variable {@code MLGUARD_BENCH_SCENARIOS} (comma-separated names such as
 * {@code extraction,drift-rotate,swap,nes-rot10}) plays only those scenarios; the attack session's
 * benign clients always play, so false positives are measured in every run. {@code
 * MLGUARD_BENCH_COLLECTOR_HEAP} is the collector's maximum heap ({@code 1g} unless set; empty for
 * the JVM's default, a quarter of the machine's memory, which the JVM then fills before it
 * collects), and {@code MLGUARD_BENCH_COLLECTOR_OPTS} its other JVM options (none unless set;
 * {@code -XX:+UseParallelGC} compares the parallel garbage collector with G1).
 */
public final class DetectionBenchmark {
    static final List<String> QUERY_ATTACKS = List.of("hopskipjump", "boundary", "square", "nes");

    /** Attacks also played by an attacker who takes a new X-Client-Id every this many queries. */
    static final List<String> ROTATING_ATTACKS = List.of("hopskipjump", "nes");

    static final int ROTATE_EVERY = 10;

    static final List<String> DRIFTS =
            List.of("drift-rotate", "drift-noise", "drift-classmix", "drift-credit");

    private final Path work;
    private final String agent;
    private final String collector;
    private final String demo;
    private final int runs;
    private final String java;
    private final Results results = new Results();
    private final List<String> only = selected(System.getenv("MLGUARD_BENCH_SCENARIOS"));
    private final String collectorHeap =
            System.getenv().getOrDefault("MLGUARD_BENCH_COLLECTOR_HEAP", "1g").trim();
    // space-separated JVM options, none unless set (the JVM's default garbage collector, G1)
    private final List<String> collectorOptions =
            words(System.getenv().getOrDefault("MLGUARD_BENCH_COLLECTOR_OPTS", ""));

    private static List<String> words(String s) {
        return s.isBlank() ? List.of() : List.of(s.trim().split("\\s+"));
    }

    private DetectionBenchmark(String[] a) {
        work = Paths.get(a[0]);
        agent = a[1];
        collector = a[2];
        demo = a[3];
        runs = Integer.parseInt(a[4]);
        java = a.length > 5 ? a[5] : "java";
    }

    public static void main(String[] args) throws Exception {
        DetectionBenchmark b = new DetectionBenchmark(args);
        b.runAll();
        System.out.println("(final)");
        b.results.print(System.out, b.runs);
    }

    private void runAll() throws Exception {
        Files.createDirectories(work);
        Path models = work.resolve("models");
        try (Processes p = new Processes()) {
            if (p.run(
                            List.of(java, "-jar", demo, "train", "--models", models.toString()),
                            work.resolve("train.log"))
                    != 0) {
                throw new IOException("training failed; see " + work.resolve("train.log"));
            }
        }
        // The table so far after each session: a long run shows its results as it goes.
        attackSession(models);
        results.print(System.out, runs);
        for (String drift : DRIFTS) {
            if (plays(drift)) {
                driftSession(models, drift);
                results.print(System.out, runs);
            }
        }
        if (plays("swap")) {
            swapSession(models);
        }
    }

    /** Every scenario when {@code names} is unset or blank, else the listed ones. */
    private static List<String> selected(String names) {
        if (names == null || names.isBlank()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String n : names.split(",")) {
            if (!n.isBlank()) {
                out.add(n.trim());
            }
        }
        return out;
    }

    private boolean plays(String scenario) {
        return only.isEmpty() || only.contains(scenario);
    }

    /** A fresh collector and demo server with the agent, on a copy of the models. */
    private final class Session implements AutoCloseable {
        final Path dir;
        final Path queue;
        final Processes processes = new Processes();
        final Process collectorProcess;
        final String serverUrl;
        final Path models;
        final IncidentWatcher watcher;
        final String collectorUrl;
        final List<String> benignClients = new ArrayList<>();

        Session(String name, Path sourceModels, String... collectorArgs) throws Exception {
            dir = work.resolve(name);
            queue = dir.resolve("queue");
            models = dir.resolve("models");
            copy(sourceModels, models);
            List<String> c = new ArrayList<>(List.of(java));
            if (!collectorHeap.isEmpty()) {
                c.add("-Xmx" + collectorHeap); // sized as a sidecar is: its state is bounded
            }
            c.addAll(collectorOptions);
            c.addAll(List.of("-jar", collector));
            c.addAll(
                    List.of(
                            "--queue",
                            queue.toString(),
                            "--state-dir",
                            dir.resolve("state").toString(),
                            "--http-port",
                            "0"));
            c.addAll(List.of(collectorArgs));
            Path clog = dir.resolve("collector.log");
            collectorProcess = processes.start(c, clog);
            collectorUrl = Processes.awaitUrl(collectorProcess, clog);
            Path slog = dir.resolve("server.log");
            Process server =
                    processes.start(
                            List.of(
                                    java,
                                    "-javaagent:" + agent + "=queue=" + queue,
                                    "-jar",
                                    demo,
                                    "serve",
                                    "--port",
                                    "0",
                                    "--models",
                                    models.toString()),
                            slog);
            serverUrl = Processes.awaitUrl(server, slog);
            watcher = new IncidentWatcher(collectorUrl);
        }

        /** Plays a scenario with the demo traffic generator; returns the wall time it started. */
        long traffic(String log, String... args) throws Exception {
            List<String> c =
                    new ArrayList<>(
                            List.of(
                                    java,
                                    "-jar",
                                    demo,
                                    "traffic",
                                    "--url",
                                    serverUrl,
                                    "--models",
                                    models.toString()));
            c.addAll(List.of(args));
            long start = System.currentTimeMillis();
            processes.run(c, dir.resolve(log + ".log"));
            return start;
        }

        /** Benign traffic that also makes the models' reference profiles (1,100 records). */
        void warmUp() throws Exception {
            traffic("benign", "--scenario", "benign", "--requests", "220", "--seed", "1");
            for (int i = 1; i <= 5; i++) {
                benignClients.add("benign-" + i);
            }
        }

        /** Waits until the collector has read the whole queue, then reads it and the incidents. */
        Outcome finish() throws Exception {
            QueueRecords q = QueueRecords.read(queue);
            long deadline = System.currentTimeMillis() + 10_000;
            Map<String, JsonNode> incidents = watcher.snapshot();
            // Signals follow records by milliseconds; give the last ones a moment.
            while (System.currentTimeMillis() < deadline) {
                Thread.sleep(500);
                Map<String, JsonNode> again = watcher.snapshot();
                if (again.size() == incidents.size()) {
                    break;
                }
                incidents = again;
            }
            results.collectorRssMb(name(), Processes.peakRssMb(collectorProcess));
            results.collectorHeap(collectorHeap.isEmpty() ? "the JVM's default" : collectorHeap);
            saveMetrics();
            return new Outcome(q, incidents, watcher);
        }

        /**
         * The collector's own account of where the time went (record to incident, commits), kept
         * beside the session's logs as {@code metrics.txt}.
         */
        private void saveMetrics() {
            try {
                HttpResponse<String> r =
                        HttpClient.newHttpClient()
                                .send(
                                        HttpRequest.newBuilder(
                                                        URI.create(collectorUrl + "/metrics"))
                                                .timeout(Duration.ofSeconds(10))
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString());
                Files.writeString(dir.resolve("metrics.txt"), r.body());
            } catch (IOException | InterruptedException e) {
                System.out.println("could not save the collector's metrics: " + e);
            }
        }

        private String name() {
            return dir.getFileName().toString();
        }

        @Override
        public void close() {
            watcher.close();
            processes.close();
        }
    }

    private void attackSession(Path models) throws Exception {
        try (Session s = new Session("attacks", models)) {
            s.warmUp();
            s.traffic("benign-realistic", "--scenario", "benign-realistic", "--requests", "100");
            for (int i = 1; i <= 5; i++) {
                s.benignClients.add("viewer-" + i);
            }
            Map<String, List<String>> runClients = new LinkedHashMap<>();
            List<String> attacks = new ArrayList<>(QUERY_ATTACKS);
            attacks.add("extraction");
            attacks.removeIf(a -> !plays(a));
            for (String attack : attacks) {
                for (int k = 1; k <= runs; k++) {
                    String client = attack + "-run" + k;
                    s.traffic(
                            client,
                            "--scenario",
                            attack,
                            "--client",
                            client,
                            "--seed",
                            String.valueOf(100 + k));
                    runClients.computeIfAbsent(attack, a -> new ArrayList<>()).add(client);
                }
            }
            Map<String, List<String>> rotatingRuns = new LinkedHashMap<>();
            for (String attack : ROTATING_ATTACKS) {
                if (!plays(attack + "-rot" + ROTATE_EVERY)) {
                    continue;
                }
                for (int k = 1; k <= runs; k++) {
                    // ids <client>-r1, -r2, ... (the demo's QueryOracle), a new one every N queries
                    String client = attack + "-rotating-run" + k;
                    s.traffic(
                            client,
                            "--scenario",
                            attack,
                            "--client",
                            client,
                            "--rotate-clients",
                            String.valueOf(ROTATE_EVERY),
                            "--seed",
                            String.valueOf(200 + k));
                    rotatingRuns
                            .computeIfAbsent(attack + "-rot" + ROTATE_EVERY, a -> new ArrayList<>())
                            .add(client + "-r");
                }
            }
            Outcome o = s.finish();
            results.benign(o, s.benignClients);
            for (Map.Entry<String, List<String>> e : runClients.entrySet()) {
                String type = e.getKey().equals("extraction") ? "extraction" : "query_attack";
                for (String client : e.getValue()) {
                    results.attackRun(e.getKey(), o.detect(client, type));
                    results.attackEnd(
                            e.getKey(), attackEnd(s.dir.resolve(client + ".log"), e.getKey()));
                }
            }
            for (Map.Entry<String, List<String>> e : rotatingRuns.entrySet()) {
                for (String prefix : e.getValue()) {
                    results.attackRun(
                            e.getKey(), o.detect(c -> c.startsWith(prefix), "query_attack"));
                }
            }
        }
    }

    /**
     * How the attack of a run ended, from the demo's note in its traffic log ({@code square: 31
     * queries, ..., misclassified}): its own query count, then "ok" when it misclassified, "failed"
     * when it did not (score-based attacks say which); "?" if the log has no such note.
     */
    static String attackEnd(Path log, String attack) throws IOException {
        if (!Files.exists(log)) {
            return "?";
        }
        for (String line : Files.readAllLines(log)) {
            int at = line.indexOf(attack + ": ");
            if (at < 0) {
                continue;
            }
            String rest = line.substring(at + attack.length() + 2);
            int space = rest.indexOf(" queries");
            if (space > 0 && rest.substring(0, space).chars().allMatch(Character::isDigit)) {
                String how =
                        rest.contains("still classified")
                                ? " failed"
                                : rest.contains("misclassified") ? " ok" : "";
                return rest.substring(0, space) + how;
            }
        }
        return "?";
    }

    private void driftSession(Path models, String drift) throws Exception {
        // Nothing else sends credit traffic: its profile is the drift run's first 300 records.
        boolean credit = drift.equals("drift-credit");
        try (Session s =
                credit
                        ? new Session(drift, models, "--profile-window", "300")
                        : new Session(drift, models)) {
            s.warmUp();
            s.traffic(drift, "--scenario", drift, "--requests", credit ? "1300" : "1000");
            Outcome o = s.finish();
            results.benign(o, s.benignClients);
            results.drift(drift, o.driftDetection(credit ? "credit" : "mnist", credit ? 300 : 0));
        }
    }

    private void swapSession(Path models) throws Exception {
        try (Session s = new Session("swap", models)) {
            s.warmUp();
            s.traffic("swap", "--scenario", "swap", "--requests", "40");
            Outcome o = s.finish();
            results.swap(o.swapDetection());
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    static String fmt(String f, Object... a) {
        return String.format(Locale.ROOT, f, a);
    }
}
