package io.mlguard.benchmarks.detection;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Collects the detections of every session and prints the benchmark's table. */
final class Results {
    private final Map<String, List<Outcome.Detection>> attacks = new LinkedHashMap<>();
    private final Map<String, Outcome.Detection> drifts = new LinkedHashMap<>();
    private Outcome.Detection swap;
    private long benignClients;
    private long benignClientsFlagged;
    private long benignQueries;
    private long benignSignals;
    private final List<String> benignIncidents = new ArrayList<>();
    private final Map<String, Double> rss = new LinkedHashMap<>();
    private String collectorHeap = "?";
    private final Set<String> modelLevelWithBenign = new java.util.TreeSet<>();

    /** Incident types grouped per client: these flag a client. */
    static final Set<String> PER_CLIENT_TYPES =
            Set.of("query_attack", "extraction", "invalid_input");

    /**
     * Per attack, how each run ended by the attack's own count (queries until it succeeded, or gave
     * up): a run shorter than a stateful defence's threshold cannot be caught by it.
     */
    private final Map<String, List<String>> attackEnds = new LinkedHashMap<>();

    /** The per-client query-attack check needs this many matches, so at least one more query. */
    static final int PER_CLIENT_MATCHES = 12;

    /**
     * The fewest queries that make a query sequence: a score-based run that ends at its second
     * query won with its initial perturbation alone (Square's stripes), a single-shot attack.
     */
    static final int MIN_ATTACK_QUERIES = 3;

    void attackEnd(String attack, String end) {
        attackEnds.computeIfAbsent(attack, a -> new ArrayList<>()).add(end);
    }

    void attackRun(String attack, Outcome.Detection d) {
        attacks.computeIfAbsent(attack, a -> new ArrayList<>()).add(d);
    }

    void drift(String name, Outcome.Detection d) {
        drifts.put(name, d);
    }

    void swap(Outcome.Detection d) {
        swap = d;
    }

    void collectorRssMb(String session, double mb) {
        rss.put(session, mb);
    }

    void collectorHeap(String maxHeap) {
        collectorHeap = maxHeap;
    }

    /** Benign clients of a session: how many ever appear in an incident, and its signals. */
    void benign(Outcome o, List<String> clients) {
        Set<String> flagged = new HashSet<>();
        for (String c : clients) {
            benignClients++;
            benignQueries += o.records.countUpTo(c, Long.MAX_VALUE);
            for (JsonNode i : o.incidents.values()) {
                String type = i.path("type").asText();
                if (!Outcome.hasClient(i, c)) {
                    // an account-free incident names no client, but a signal raised on one of
                    // this client's records flags it as surely as a per-client one
                    if (PER_CLIENT_TYPES.contains(type) && o.hasSignalRecordOf(i, c)) {
                        flagged.add(c);
                        benignSignals++;
                        benignIncidents.add(type + " (across clients) on " + c);
                    }
                    continue;
                }
                if (PER_CLIENT_TYPES.contains(type)) {
                    flagged.add(c);
                    benignSignals += i.path("count").asLong();
                    benignIncidents.add(type + " on " + c);
                } else {
                    // drift and operational incidents are about the model: they list the
                    // clients whose records were in the window, which flags none of them
                    modelLevelWithBenign.add(type + " " + i.path("id").asText());
                }
            }
        }
        benignClientsFlagged += flagged.size();
    }

    void print(PrintStream out, int runs) {
        out.println();
        out.println("== detection benchmark (" + runs + " run(s) per attack)");
        out.println(
                DetectionBenchmark.fmt(
                        "%-16s %9s %13s %15s %21s %21s  %s",
                        "scenario",
                        "detected",
                        "queries med",
                        "queries p90",
                        "1st query->API p50/p99",
                        "inference->API p50/p99",
                        "via"));
        List<Long> allLatencies = new ArrayList<>();
        for (Map.Entry<String, List<Outcome.Detection>> e : attacks.entrySet()) {
            row(out, e.getKey(), e.getValue(), allLatencies);
        }
        for (Map.Entry<String, Outcome.Detection> e : drifts.entrySet()) {
            row(out, e.getKey(), List.of(e.getValue()), allLatencies);
        }
        if (swap != null) {
            row(out, "swap", List.of(swap), allLatencies);
        }
        for (Map.Entry<String, List<String>> e : attackEnds.entrySet()) {
            long tooShort =
                    e.getValue().stream()
                            .filter(v -> v.endsWith(" ok"))
                            .filter(
                                    v ->
                                            Long.parseLong(v.substring(0, v.indexOf(' ')))
                                                    <= PER_CLIENT_MATCHES)
                            .count();
            out.println(
                    DetectionBenchmark.fmt(
                            "%s runs ended after (queries, attack's own count): %s; %d of %d"
                                    + " succeeded within %d queries, before a count of %d"
                                    + " near-duplicates or windowed changes could flag them"
                                    + " (the out-of-profile test can)",
                            e.getKey(),
                            e.getValue(),
                            tooShort,
                            e.getValue().size(),
                            PER_CLIENT_MATCHES,
                            PER_CLIENT_MATCHES));
            List<Outcome.Detection> detections = attacks.getOrDefault(e.getKey(), List.of());
            int iterated = 0;
            int iteratedDetected = 0;
            for (int i = 0; i < e.getValue().size() && i < detections.size(); i++) {
                String end = e.getValue().get(i);
                String count = end.indexOf(' ') > 0 ? end.substring(0, end.indexOf(' ')) : end;
                if (count.chars().allMatch(Character::isDigit)
                        && !count.isEmpty()
                        && Long.parseLong(count) >= MIN_ATTACK_QUERIES) {
                    iterated++;
                    iteratedDetected += detections.get(i).detected() ? 1 : 0;
                }
            }
            if (iterated < e.getValue().size()) {
                out.println(
                        DetectionBenchmark.fmt(
                                "%s: %d of %d runs that sent %d queries or more detected (%d"
                                        + " ended sooner or said nothing: a run that ends at its"
                                        + " second query is the clean digit and one perturbed"
                                        + " image, which no test of a query sequence can tell"
                                        + " from a client's two photos of one digit)",
                                e.getKey(),
                                iteratedDetected,
                                iterated,
                                MIN_ATTACK_QUERIES,
                                e.getValue().size() - iterated));
            }
        }
        out.println(
                DetectionBenchmark.fmt(
                        "benign: %d of %d clients flagged (%.1f%%); %d signals on %d benign"
                                + " queries (%.3f%%)%s",
                        benignClientsFlagged,
                        benignClients,
                        100.0 * benignClientsFlagged / Math.max(1, benignClients),
                        benignSignals,
                        benignQueries,
                        100.0 * benignSignals / Math.max(1, benignQueries),
                        benignIncidents.isEmpty() ? "" : " " + benignIncidents));
        out.println(
                "model-level incidents whose window held benign clients' records: "
                        + (modelLevelWithBenign.isEmpty() ? "none" : modelLevelWithBenign));
        allLatencies.sort(null);
        out.println(
                DetectionBenchmark.fmt(
                        "inference -> incident in the API over all %d detections: p50 %d ms,"
                                + " p99 %d ms, max %d ms (API polled every %d ms)",
                        allLatencies.size(),
                        pct(allLatencies, 50),
                        pct(allLatencies, 99),
                        allLatencies.isEmpty() ? -1 : allLatencies.get(allLatencies.size() - 1),
                        IncidentWatcher.POLL_MILLIS));
        out.println(
                "collector peak RSS per session (MB), maximum heap " + collectorHeap + ": " + rss);
    }

    private static void row(
            PrintStream out, String name, List<Outcome.Detection> ds, List<Long> allLatencies) {
        List<Long> queries = new ArrayList<>();
        List<Long> sinceFirst = new ArrayList<>();
        List<Long> latency = new ArrayList<>();
        Set<String> via = new HashSet<>();
        List<String> totals = new ArrayList<>();
        int detected = 0;
        for (Outcome.Detection d : ds) {
            totals.add(String.valueOf(d.totalQueries()));
            if (!d.detected()) {
                via.add("missed" + (d.via().isEmpty() ? "" : ": " + d.via()));
                continue;
            }
            detected++;
            queries.add(d.queries());
            via.add(d.via());
            if (d.firstQueryToApiMillis() >= 0) {
                sinceFirst.add(d.firstQueryToApiMillis());
            }
            if (d.inferenceToApiMillis() >= 0) {
                latency.add(d.inferenceToApiMillis());
                allLatencies.add(d.inferenceToApiMillis());
            }
        }
        queries.sort(null);
        sinceFirst.sort(null);
        latency.sort(null);
        out.println(
                DetectionBenchmark.fmt(
                        "%-16s %4d/%-4d %13d %15d %10d/%-10d %10d/%-10d  %s; records per run %s",
                        name,
                        detected,
                        ds.size(),
                        pct(queries, 50),
                        pct(queries, 90),
                        pct(sinceFirst, 50),
                        pct(sinceFirst, 99),
                        pct(latency, 50),
                        pct(latency, 99),
                        via,
                        totals));
    }

    /** Nearest-rank percentile; -1 for an empty list. */
    static long pct(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return -1;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }
}
