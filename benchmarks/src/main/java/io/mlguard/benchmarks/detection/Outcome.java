package io.mlguard.benchmarks.detection;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/** What one session produced: its records, its incidents and when each reached the API. */
final class Outcome {
    /**
     * How one attack run, drift or swap was (or was not) detected. {@code queries}: the run's
     * records up to and including the one that opened the incident; the latencies are -1 if
     * undetected.
     */
    record Detection(
            boolean detected,
            long queries,
            long totalQueries,
            long inferenceToApiMillis,
            long firstQueryToApiMillis,
            String via) {
        static Detection missed(long total, String why) {
            return new Detection(false, -1, total, -1, -1, why);
        }
    }

    final QueueRecords records;
    final Map<String, JsonNode> incidents;
    private final IncidentWatcher watcher;

    Outcome(QueueRecords records, Map<String, JsonNode> incidents, IncidentWatcher watcher) {
        this.records = records;
        this.incidents = incidents;
        this.watcher = watcher;
    }

    /** The first of the incident's clients that is one of the attacker's ids, or null. */
    private static String attackerClient(JsonNode incident, Predicate<String> isAttacker) {
        for (JsonNode c : incident.path("clients")) {
            if (isAttacker.test(c.asText())) {
                return c.asText();
            }
        }
        return null;
    }

    static boolean hasClient(JsonNode incident, String client) {
        for (JsonNode c : incident.path("clients")) {
            if (client.equals(c.asText())) {
                return true;
            }
        }
        return false;
    }

    /** The earliest incident of {@code type} for this client, per client or across clients. */
    Detection detect(String client, String type) {
        return detect(client::equals, type);
    }

    /**
     * The run's earliest record whose signal went into an incident of {@code type}, for any of the
     * client ids an attacker used (an attacker rotating ids); queries count from its first id. The
     * record may have opened the incident (per client, or across clients) or joined one that was
     * already open: an account-free incident opened by an earlier run that this run's queries keep
     * feeding. Either way the record is one of the run's own (its queue index and client), so no
     * run is credited with another's detection.
     */
    Detection detect(Predicate<String> isAttacker, String type) {
        List<QueueRecords.Entry> mine =
                records.entries.stream()
                        .filter(e -> !e.load() && e.client() != null && isAttacker.test(e.client()))
                        .toList();
        if (mine.isEmpty()) {
            return Detection.missed(0, "no records");
        }
        long best = Long.MAX_VALUE;
        JsonNode bestIncident = null;
        String via = "";
        for (JsonNode i : incidents.values()) {
            if (!type.equals(i.path("type").asText())) {
                continue;
            }
            String model = i.path("model").asText();
            boolean perClient = attackerClient(i, isAttacker) != null;
            long opening =
                    records.openingIndex(
                            i, type, model, perClient ? attackerClient(i, isAttacker) : "null");
            for (long idx : signalRecords(i)) {
                QueueRecords.Entry e = records.at(idx);
                if (e == null
                        || e.load()
                        || e.client() == null
                        || !isAttacker.test(e.client())
                        || idx >= best) {
                    continue;
                }
                best = idx;
                bestIncident = i;
                via =
                        perClient
                                ? "per-client"
                                : idx == opening ? "across-clients" : "joined across-clients";
            }
        }
        if (bestIncident == null) {
            return Detection.missed(mine.size(), "");
        }
        String id = bestIncident.path("id").asText();
        Long inApi = watcher.recordsSeenInApi(id).get(best);
        long recordTime = records.at(best).timeMillis();
        return new Detection(
                true,
                records.countUpTo(isAttacker, best),
                mine.size(),
                inApi == null ? -1 : inApi - recordTime,
                inApi == null ? -1 : inApi - mine.get(0).timeMillis(),
                via);
    }

    /**
     * The queue indexes of records whose signals are known to have gone into the incident: its
     * first and last record as the collector reports them now, and every last record the API showed
     * while the benchmark polled it.
     */
    Set<Long> signalRecords(JsonNode incident) {
        Set<Long> out =
                new TreeSet<>(watcher.recordsSeenInApi(incident.path("id").asText()).keySet());
        for (String field : new String[] {"firstRecordIndex", "lastRecordIndex"}) {
            if (incident.hasNonNull(field)) {
                out.add(incident.path(field).asLong());
            }
        }
        return out;
    }

    /** Whether a record of {@code client} is among the incident's known signal records. */
    boolean hasSignalRecordOf(JsonNode incident, String client) {
        for (long idx : signalRecords(incident)) {
            QueueRecords.Entry e = records.at(idx);
            if (e != null && client.equals(e.client())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Drift of {@code model}: records of the drift client after its first {@code skip} (the
     * reference window, when the drift run makes the profile) until a drift incident opened.
     */
    Detection driftDetection(String model, int skip) {
        List<QueueRecords.Entry> drift =
                records.entries.stream()
                        .filter(e -> !e.load() && "drift-client".equals(e.client()))
                        .toList();
        if (drift.size() <= skip) {
            return Detection.missed(drift.size(), "too few records");
        }
        long start = drift.get(skip).index();
        long best = Long.MAX_VALUE;
        JsonNode bestIncident = null;
        for (JsonNode i : incidents.values()) {
            String type = i.path("type").asText();
            if (!type.endsWith("_drift") || !model.equals(i.path("model").asText())) {
                continue;
            }
            long idx = records.openingIndex(i, type, model, "*");
            if (idx >= start && idx < best) {
                best = idx;
                bestIncident = i;
            }
        }
        if (bestIncident == null) {
            return Detection.missed(drift.size() - skip, "");
        }
        long b = best;
        long n = drift.stream().skip(skip).filter(e -> e.index() <= b).count();
        long inApi = watcher.firstSeenInApi(bestIncident.path("id").asText());
        return new Detection(
                true,
                n,
                drift.size() - skip,
                inApi < 0 ? -1 : inApi - bestIncident.path("firstSeen").asLong(),
                inApi < 0 ? -1 : inApi - drift.get(skip).timeMillis(),
                bestIncident.path("type").asText());
    }

    /** Inferences of mnist after the second model load until model_substitution opened. */
    Detection swapDetection() {
        List<QueueRecords.Entry> loads =
                records.entries.stream()
                        .filter(e -> e.load() && "mnist".equals(e.model()))
                        .toList();
        if (loads.size() < 2) {
            return Detection.missed(0, "no reload seen");
        }
        long reload = loads.get(loads.size() - 1).index();
        List<QueueRecords.Entry> after =
                records.entries.stream()
                        .filter(e -> !e.load() && "mnist".equals(e.model()) && e.index() > reload)
                        .toList();
        long best = Long.MAX_VALUE;
        JsonNode bestIncident = null;
        for (JsonNode i : incidents.values()) {
            if (!"model_substitution".equals(i.path("type").asText())) {
                continue;
            }
            long idx = records.openingIndex(i, "model_substitution", "mnist", "*");
            if (idx >= reload && idx < best) {
                best = idx;
                bestIncident = i;
            }
        }
        if (bestIncident == null) {
            return Detection.missed(after.size(), "");
        }
        long b = best;
        long n = after.stream().filter(e -> e.index() <= b).count();
        long inApi = watcher.firstSeenInApi(bestIncident.path("id").asText());
        return new Detection(
                true,
                n,
                after.size(),
                inApi < 0 ? -1 : inApi - bestIncident.path("firstSeen").asLong(),
                -1,
                best == reload ? "at the load record" : "at an inference");
    }
}
