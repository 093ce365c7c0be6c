package io.mlguard.collector.detect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mlguard.collector.detect.stats.ShapiroWilk;
import io.mlguard.protocol.InferenceRecord;
import io.mlguard.protocol.Outcome;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Model extraction in the spirit of PRADA (Juuti et al., 2019): for each client, the distance (L2,
 * fingerprint space) from every new query to the nearest of its previous queries. Natural queries
 * give roughly normally distributed minimum distances; synthetic extraction queries (Jacobian-based
 * augmentation, perturbations of a few seeds at fixed steps) do not. When the Shapiro–Wilk W of the
 * last {@link #DISTANCES} distances falls below {@link #W_THRESHOLD}, the client is flagged, with
 * its query count, query rate and how many classes its answers covered.
 *
 * <p>Exact repeats (retries) and near-duplicates (mean difference per cell up to {@link
 * QueryAttackDetector#NEAR_PER_CELL}: retries, video frames, and also what the query-attack
 * detector watches) are left out of the distances, so benign bursts do not skew them.
 *
 * <p>Bounded: the nearest neighbour is sought among the client's last {@link #HISTORY} kept queries
 * (PRADA keeps them all), at most {@link #MAX_CLIENTS} clients are tracked (evictions counted), and
 * the test runs every {@link #TEST_EVERY} distances, so cost per query is constant.
 */
public final class ExtractionDetector implements Detector, Checkpointable {
    static final int HISTORY = 128;
    static final int DISTANCES = 200;
    static final int MIN_DISTANCES = 100;
    static final int TEST_EVERY = 10;

    /** PRADA's δ; benign MNIST clients measure W ≈ 0.98–0.995, JbDA-like streams 0.7–0.85. */
    static final double W_THRESHOLD = 0.94;

    static final int MAX_CLIENTS = 2048;

    /** Bins of the distance histogram in the evidence. */
    static final int DISTANCE_BINS = 12;

    private static final class ClientState {
        final FingerprintRing history = new FingerprintRing(HISTORY);
        final double[] distances = new double[DISTANCES];
        int filled;
        int next;
        long added;
        long queries;
        long firstMillis = Long.MIN_VALUE;
        long classesSeen; // a bit per predicted class below 64
        long quietUntil;

        void reset() {
            history.clear();
            filled = 0;
            next = 0;
            added = 0;
            queries = 0;
            firstMillis = Long.MIN_VALUE;
            classesSeen = 0;
            quietUntil = 0;
        }
    }

    private final BoundedClientMap<ClientState> clients =
            new BoundedClientMap<>(MAX_CLIENTS, ClientState::reset);
    private final int[] querySums = new int[FingerprintRing.BLOCKS + 1];
    private final Sensitivity sensitivity;

    public ExtractionDetector() {
        this(Sensitivity.untuned());
    }

    /**
     * With multiplier m from {@code sensitivity}, a client is flagged when {@code 1 - W} exceeds
     * {@code (1 - W_THRESHOLD) × m}: feedback lowers the W that counts as non-normal.
     */
    public ExtractionDetector(Sensitivity sensitivity) {
        this.sensitivity = sensitivity;
    }

    @Override
    public String name() {
        return "extraction";
    }

    @Override
    public void onInference(InferenceRecord r, long index, SignalSink sink) {
        int len = r.fingerprintLength;
        if (r.clientId == null
                || r.outcome == Outcome.BLOCKED
                || r.fingerprintKind == InferenceRecord.FINGERPRINT_NONE
                || len < QueryAttackDetector.MIN_LENGTH
                || len > FingerprintRing.MAX_LENGTH) {
            return;
        }
        ClientState c = clients.get(r.modelId + '\u0000' + r.clientId, k -> new ClientState());
        c.queries++;
        if (c.firstMillis == Long.MIN_VALUE) {
            c.firstMillis = r.timestampMillis;
        }
        for (int i = 0; i < r.outputCount; i++) {
            if (r.outputs[i].topK > 0 && r.outputs[i].topClasses[0] >= 0) {
                c.classesSeen |= 1L << Math.min(63, r.outputs[i].topClasses[0]);
                break;
            }
        }
        byte[] f = r.fingerprint;
        long hash = FingerprintRing.hash(f, len);
        int near = (int) (QueryAttackDetector.NEAR_PER_CELL * len);
        FingerprintRing.blockSums(f, len, querySums);
        long minSquared = -1; // none yet
        FingerprintRing h = c.history;
        for (int s = 0; s < h.size(); s++) {
            // Block sums bound both distances from below: most slots are settled without the
            // cells (the result is exactly that of comparing every cell).
            if (!h.surelyFarther(s, querySums, near)) {
                if (h.hashAt(s) == hash && h.equalsAt(s, f, len)) {
                    return; // a retry
                }
                if (h.l1At(s, f, len, near) <= near) {
                    return; // a near-duplicate: not a new point of the client's input distribution
                }
            }
            if (minSquared >= 0
                    && h.l2SquaredLowerBoundTimesBlock(s, querySums)
                            > FingerprintRing.BLOCK * minSquared) {
                continue;
            }
            long d = h.l2SquaredAt(s, f, len);
            if (d >= 0 && (minSquared < 0 || d < minSquared)) {
                minSquared = d;
            }
        }
        h.add(f, len, hash, 0);
        if (minSquared < 0) {
            return; // the first query has no predecessor
        }
        double min = Math.sqrt(minSquared);
        c.distances[c.next] = min;
        c.next = (c.next + 1) % DISTANCES;
        c.filled = Math.min(c.filled + 1, DISTANCES);
        c.added++;
        if (c.filled >= MIN_DISTANCES && c.added % TEST_EVERY == 0 && c.added >= c.quietUntil) {
            ShapiroWilk.Result w = ShapiroWilk.test(c.distances, c.filled);
            double scale = sensitivity.multiplier(SignalType.EXTRACTION);
            double threshold = 1 - (1 - W_THRESHOLD) * scale;
            if (w.w() < threshold) {
                c.quietUntil = c.added + DISTANCES;
                double minutes = Math.max(1.0 / 60, (r.timestampMillis - c.firstMillis) / 60_000.0);
                // Benign distances look bell-shaped; an extraction's are skewed or multi-modal.
                EqualWidthHistogram histogram =
                        EqualWidthHistogram.of(c.distances, c.filled, DISTANCE_BINS);
                sink.accept(
                        Signal.builder(
                                        SignalType.EXTRACTION,
                                        Severity.HIGH,
                                        "non_normal_query_distances")
                                .model(r.modelId)
                                .client(r.clientId)
                                .record(index, r.timestampMillis)
                                .evidence("shapiroWilkW", w.w())
                                .evidence("shapiroWilkPValue", w.pValue())
                                .evidence("wThreshold", threshold)
                                .evidence("thresholdMultiplier", scale)
                                .evidence("distances", w.n())
                                .evidence("clientQueries", c.queries)
                                .evidence("queriesPerMinute", c.queries / minutes)
                                .evidence("classesCovered", Long.bitCount(c.classesSeen))
                                .evidence("distanceBinUpperEdges", histogram.upperEdges())
                                .evidence("distanceCounts", histogram.counts())
                                .build());
            }
        }
    }

    /**
     * Every client's history ring, distance window and counters, least recently seen first (the
     * eviction order). Bounded by {@link #MAX_CLIENTS} clients.
     */
    @Override
    public String saveState() {
        ObjectNode n = DetectorStateJson.MAPPER.createObjectNode();
        n.put("clientEvictions", clients.evictions());
        ArrayNode cs = n.putArray("clients");
        for (Map.Entry<String, ClientState> e : clients.entries()) {
            ClientState c = e.getValue();
            ObjectNode o = cs.addObject();
            o.put("key", e.getKey());
            o.put("filled", c.filled);
            o.put("next", c.next);
            o.put("added", c.added);
            o.put("queries", c.queries);
            o.put("firstMillis", c.firstMillis);
            o.put("classesSeen", c.classesSeen);
            o.put("quietUntil", c.quietUntil);
            ArrayNode d = o.putArray("distances");
            for (int i = 0; i < c.filled; i++) {
                d.add(DetectorStateJson.number(c.distances[i]));
            }
            o.set("history", c.history.saveState());
        }
        return n.toString();
    }

    @Override
    public void restoreState(String state) {
        JsonNode n = DetectorStateJson.parse(state);
        List<Map.Entry<String, ClientState>> cs = new ArrayList<>();
        for (JsonNode o : n.path("clients")) {
            ClientState c = new ClientState();
            c.filled = o.path("filled").asInt();
            c.next = o.path("next").asInt();
            JsonNode d = o.path("distances");
            if (c.filled < 0
                    || c.filled > DISTANCES
                    || d.size() != c.filled
                    || c.next < 0
                    || c.next >= DISTANCES) {
                throw new IllegalArgumentException("extraction client state is inconsistent");
            }
            for (int i = 0; i < c.filled; i++) {
                c.distances[i] = DetectorStateJson.toDouble(d.get(i));
            }
            c.added = o.path("added").asLong();
            c.queries = o.path("queries").asLong();
            c.firstMillis = o.path("firstMillis").asLong();
            c.classesSeen = o.path("classesSeen").asLong();
            c.quietUntil = o.path("quietUntil").asLong();
            c.history.restoreState(o.path("history"));
            cs.add(new AbstractMap.SimpleEntry<>(o.path("key").asText(), c));
        }
        clients.restore(cs, n.path("clientEvictions").asLong());
    }

    /** Clients whose state was evicted to stay within {@link #MAX_CLIENTS}. */
    public long clientEvictions() {
        return clients.evictions();
    }

    int trackedClients() {
        return clients.size();
    }
}
