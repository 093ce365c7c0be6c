package io.mlguard.collector.detect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mlguard.protocol.InferenceRecord;
import io.mlguard.protocol.Outcome;
import io.mlguard.protocol.TensorSummary;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Query-based black-box attacks (HopSkipJump, Boundary, Square, NES), in the spirit of Blacklight
 * (Li et al., USENIX Security 2022) and Chen, Carlini and Wagner's stateful detection: such attacks
 * send many highly similar queries, which ordinary clients do not.
 *
 * <p>Two near-duplicate fingerprints differ by at most {@link #NEAR_PER_CELL} per cell on average
 * (L1). A query is compared with its client's last {@link #CLIENT_RING} queries, and through the
 * model's {@link NearDuplicateIndex} (locality-sensitive hashing) with the model's last {@link
 * NearDuplicateIndex#CAPACITY} queries from everyone. When the client has at least {@link
 * #CLIENT_MATCHES} distinct near-duplicates among its own queries (the larger of the two counts),
 * it is flagged. Exact repeats (the same fingerprint and the same input statistics: retries,
 * resubmissions) are not evidence: they are counted and skipped. An identical fingerprint of a
 * different input is a near-duplicate at distance 0, which is what an attack's tiny probes look
 * like. A burst of near-identical frames gives at most burst-1 matches, so bursts shorter than the
 * threshold pass. Account-free: {@link #GLOBAL_MATCHES} distinct near-duplicates from at least
 * {@link #GLOBAL_CLIENTS} other client ids flag an attack spread over rotating ids. Two more tests
 * for image inputs catch attacks whose queries are not near-duplicates: the windowed test (see
 * {@link #WINDOW_UNCHANGED}) and, within a few queries, the out-of-profile test (see {@link
 * #PROFILE_MATCHES}).
 *
 * <p>Cost per query: at most CLIENT_RING comparisons (most stop at the block sums) plus the index's
 * bounded bucket lookups; memory: {@link #MAX_CLIENTS} client rings (evictions counted) and {@link
 * #MAX_MODELS} indexes of fixed size.
 */
public final class QueryAttackDetector implements Detector, Checkpointable {
    static final double NEAR_PER_CELL = 2.0;
    static final int CLIENT_RING = 64;
    static final int CLIENT_MATCHES = 12;
    static final int GLOBAL_MATCHES = 16;
    static final int GLOBAL_CLIENTS = 3;
    static final int MAX_CLIENTS = 4096;
    static final int MAX_MODELS = 16;

    /**
     * The windowed test, for image fingerprints (8 by 8) only. A score-based attack that rewrites
     * random windows of its input (Square: 15 by 15 of 28 by 28 pixels at first) moves a third to a
     * half of the cells by far more than {@link #NEAR_PER_CELL}, so its queries are not
     * near-duplicates; but each leaves at least {@link #WINDOW_UNCHANGED} non-blank cells unchanged
     * (within {@link #WINDOW_TOLERANCE} of the modal shift) against one of the client's {@link
     * #WINDOW_RECENT} previous queries, which two distinct digits do not. Pairs that are
     * near-duplicates do not count here (they count in the near-duplicate test, which lets short
     * bursts of near-identical frames pass). A client with {@code CLIENT_MATCHES} such queries
     * among its last {@link #CLIENT_RING} is flagged. Comparing with the few newest queries only
     * keeps the cost at WINDOW_RECENT × 2 × 64 cell operations.
     */
    static final int WINDOW_UNCHANGED = 20;

    static final int WINDOW_TOLERANCE = 2;

    /** Cells at most this in both queries are blank (of 255): they say nothing about the pair. */
    static final int WINDOW_BLANK = 8;

    static final int WINDOW_RECENT = 8;

    /**
     * The out-of-profile test, for image fingerprints only: a query whose input lies outside the
     * model's {@link InputProfile}, that passes the windowed test and rewrites its window (see
     * {@link #REWRITE_CHANGE}), from a client with at least {@link #PROFILE_MATCHES} out-of-profile
     * queries among its last {@link #WINDOW_RECENT}, is flagged at once. A score-based attack that
     * first perturbs the whole image (Square's stripes) is out of profile from its second query and
     * edits windows of it from its third, so it is flagged at query 3, long before it holds {@code
     * CLIENT_MATCHES} windowed changes. Either half alone is common enough in benign traffic (noisy
     * camera frames are out of profile; a windowed change happens) that only both together count.
     */
    static final int PROFILE_MATCHES = 2;

    /**
     * For the out-of-profile test, the windowed change must rewrite its window: at least {@link
     * #REWRITE_CELLS} cells moved by more than {@link #REWRITE_CHANGE} (of 255) beyond the uniform
     * shift the fingerprint's per-row quantisation adds when the window widens the row's range.
     * Noisy camera frames of one digit (the demo's noise, 0.02) are out of profile and often
     * windowed changes of each other, since their noise moves every cell by a few units, past the
     * near-duplicate limit; but of 4,000 such pairs of real digits none moved two cells by more
     * than 12, while 97 % of Square's third queries moved at least three against its second (both
     * counted before the shift was taken out; since, SquareAttackDetectionTest's short runs went
     * from 21 to 23 of 28 and NoisyDigitsQueryAttackTest still sees no signal).
     */
    static final int REWRITE_CHANGE = 12;

    static final int REWRITE_CELLS = 3;

    /**
     * For the out-of-profile test, the rewritten cells must be local: they fill at least this
     * percentage of the smallest box holding them ({@link FingerprintRing#rewrittenWindowAt}).
     * Square sets one square window of the image, so the cells it moves are packed into a box; two
     * noisy frames of the same digit (a client whose camera degrades, sigma 0.06 to 0.14, where
     * such pairs pass the windowed test and move three cells or more) move a few cells scattered
     * over most of the grid. Measured on real MNIST (LocalityProbe figures in the commit): of 247
     * such noisy pairs 1 reached 40 %, of 151 Square third queries 133 did, of 29,164 later Square
     * candidates 70 %.
     */
    static final int REWRITE_DENSITY_PERCENT = 40;

    /**
     * For the out-of-profile test, the rewritten cells must move one way: at most this share (1 in
     * N) of them against the others. Square sets its window to one value; two distinct noisy digits
     * whose box of moved cells is dense (both strokes in the middle of the grid) move cells both
     * ways.
     */
    static final int REWRITE_AGAINST_ONE_IN = 4;

    /** Shortest fingerprint worth comparing: a handful of tabular cells says nothing. */
    static final int MIN_LENGTH = 16;

    private static final class ClientState extends IncrementalCapture.Tracked {
        final FingerprintRing ring;
        final SimilaritySeries series;
        long queries;
        long repeats;
        long quietUntil;
        long windowed; // bit k: the k-th newest query passed the windowed test
        long outOfProfile; // bit k: the k-th newest query was outside the model's profile

        ClientState() {
            this(new FingerprintRing(CLIENT_RING), new SimilaritySeries(CLIENT_RING));
        }

        private ClientState(FingerprintRing ring, SimilaritySeries series) {
            this.ring = ring;
            this.series = series;
        }

        ClientState copy() {
            ClientState c = new ClientState(ring.copy(), series.copy());
            c.queries = queries;
            c.repeats = repeats;
            c.quietUntil = quietUntil;
            c.windowed = windowed;
            c.outOfProfile = outOfProfile;
            return c;
        }

        void reset() {
            ring.clear();
            series.clear();
            queries = 0;
            repeats = 0;
            quietUntil = 0;
            windowed = 0;
            outOfProfile = 0;
        }
    }

    private static final class ModelState extends IncrementalCapture.Tracked {
        final NearDuplicateIndex index;
        InputProfile profile = new InputProfile();
        long queries;
        long quietUntil;

        ModelState() {
            this(new NearDuplicateIndex());
        }

        private ModelState(NearDuplicateIndex index) {
            this.index = index;
        }

        /** A deep copy, made into {@code spare} (an earlier copy no longer needed) if not null. */
        ModelState copy(ModelState spare) {
            ModelState m =
                    spare == null
                            ? new ModelState(index.copy())
                            : new ModelState(index.copyInto(spare.index));
            m.profile = profile.copy();
            m.queries = queries;
            m.quietUntil = quietUntil;
            return m;
        }
    }

    private final BoundedClientMap<ClientState> clients =
            new BoundedClientMap<>(MAX_CLIENTS, ClientState::reset);
    private final Map<String, ModelState> models = new HashMap<>();
    // the last few records' models by the very id string (the record reader's cache hands out
    // one per id): no map look-up per record while a few models interleave (see RecentModels)
    private final RecentModels<ModelState> recentModels = new RecentModels<>();
    private final Function<String, ModelState> makeModel = this::newModel;
    // what changed since the last checkpoint capture: only that is copied by the next one
    private final IncrementalCapture<ClientState> capturedClients =
            new IncrementalCapture<>((live, spare) -> live.copy());
    private final IncrementalCapture<ModelState> capturedModels =
            new IncrementalCapture<>(ModelState::copy);
    private final NearDuplicateIndex.Matches found = new NearDuplicateIndex.Matches(GLOBAL_CLIENTS);
    private final int[] querySums = new int[FingerprintRing.BLOCKS + 1];
    private final int[] shiftHistogram = new int[511];
    private final Sensitivity sensitivity;
    private long modelsRefused;

    public QueryAttackDetector() {
        this(Sensitivity.untuned());
    }

    /**
     * With multiplier m from {@code sensitivity}, a client needs {@code ceil(CLIENT_MATCHES × m)}
     * near-duplicates and the account-free check {@code ceil(GLOBAL_MATCHES × m)}. The multiplier
     * is read only once the base threshold is met, since it never goes below 1.
     */
    public QueryAttackDetector(Sensitivity sensitivity) {
        this.sensitivity = sensitivity;
    }

    /** The base threshold times the multiplier, rounded up (a 1e-9 slack against 12 × 1.25). */
    private static int threshold(int base, double scale) {
        return (int) Math.ceil(base * scale - 1e-9);
    }

    @Override
    public String name() {
        return "query-attack";
    }

    @Override
    public void onInference(InferenceRecord r, long index, SignalSink sink) {
        int length = r.fingerprintLength;
        if (r.outcome == Outcome.BLOCKED
                || r.fingerprintKind == InferenceRecord.FINGERPRINT_NONE
                || length < MIN_LENGTH
                || length > FingerprintRing.MAX_LENGTH) {
            return;
        }
        byte[] f = r.fingerprint;
        long hash = FingerprintRing.hash(f, length);
        int limit = (int) (NEAR_PER_CELL * length);
        int digest = InputDigest.of(r);
        FingerprintRing.blockSums(f, length, querySums);
        int owner = owner(r.clientId);
        ModelState m = model(r.modelId);
        found.clear();
        if (m != null) {
            m.index.scan(f, length, digest, owner, limit, found);
        }
        boolean outOfProfile = false;
        if (m != null
                && r.fingerprintKind == InferenceRecord.FINGERPRINT_POOLED_2D
                && r.inputCount > 0
                && InputProfile.usable(r.inputs[0])) {
            if (m.profile.complete()) {
                outOfProfile = m.profile.outside(r.inputs[0]);
            } else if (r.outcome == Outcome.OK) {
                m.profile.learn(r.inputs[0]);
            }
        }
        boolean repeat = false;
        if (r.clientId != null) {
            repeat = perClient(r, index, sink, f, length, hash, digest, limit, m, outOfProfile);
        }
        if (m != null) {
            acrossClients(m, r, index, sink);
            if (!repeat) {
                m.index.addScanned(f, length, digest, owner, found);
            }
        }
    }

    /**
     * The client's 32-bit owner mark in the index, 0 for none. Mixed, because {@code hashCode() |
     * 1} made ids differing only in their last character (attacker-r2, attacker-r3) one owner.
     */
    static int owner(String clientId) {
        if (clientId == null) {
            return 0;
        }
        int h = clientId.hashCode() * 0x9e3779b9;
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        return h == 0 ? 1 : h;
    }

    private ModelState model(String modelId) {
        return recentModels.find(modelId, models, makeModel);
    }

    /** A new model's state, or null past {@link #MAX_MODELS} (counted). */
    private ModelState newModel(String modelId) {
        if (models.size() >= MAX_MODELS) {
            modelsRefused++;
            return null;
        }
        return new ModelState();
    }

    /** The per-client check; returns whether the query repeats one of the client's recent ones. */
    private boolean perClient(
            InferenceRecord r,
            long index,
            SignalSink sink,
            byte[] f,
            int len,
            long hash,
            int digest,
            int limit,
            ModelState m,
            boolean outOfProfile) {
        ClientState c = clients.get(r.modelId, r.clientId, ClientState::new);
        capturedClients.touched(c);
        c.queries++;
        FingerprintRing ring = c.ring;
        int matches = 0;
        for (int s = 0; s < ring.size(); s++) {
            if (ring.surelyFarther(s, querySums, limit)) {
                continue; // neither a repeat nor near: most slots end here, cheaply
            }
            if (ring.hashAt(s) == hash
                    && ring.equalsAt(s, f, len)
                    && InputDigest.same(ring.ownerAt(s), digest)) {
                c.repeats++; // a retry: not evidence, and not stored twice
                return true;
            }
            if (ring.l1At(s, f, len, limit) <= limit) {
                matches++;
            }
        }
        boolean windowedChange = false;
        boolean windowRewritten = false;
        if (r.fingerprintKind == InferenceRecord.FINGERPRINT_POOLED_2D) {
            for (int k = 0; k < WINDOW_RECENT && k < ring.size() && !windowedChange; k++) {
                int slot = ring.newest(k);
                // a near-duplicate is the other count's evidence: a burst of near-identical
                // frames must not add up here across bursts
                windowedChange =
                        ring.unchangedAt(
                                                slot,
                                                f,
                                                len,
                                                WINDOW_TOLERANCE,
                                                WINDOW_BLANK,
                                                shiftHistogram)
                                        >= WINDOW_UNCHANGED
                                && ring.l1At(slot, f, len, limit) > limit;
                // read only by the out-of-profile test: no pass over the cells for others
                windowRewritten =
                        windowedChange
                                && outOfProfile
                                && ring.rewrittenWindowAt(
                                        slot,
                                        f,
                                        len,
                                        ring.modalShiftAt(slot, f, len, shiftHistogram),
                                        REWRITE_CHANGE,
                                        REWRITE_CELLS,
                                        REWRITE_DENSITY_PERCENT,
                                        REWRITE_AGAINST_ONE_IN);
            }
        }
        c.windowed = (c.windowed << 1) | (windowedChange ? 1 : 0);
        int windowedQueries = Long.bitCount(c.windowed);
        c.outOfProfile = (c.outOfProfile << 1) | (outOfProfile ? 1 : 0);
        int outOfProfileRecent = Long.bitCount(c.outOfProfile & ((1L << WINDOW_RECENT) - 1));
        // only a query that is both out of profile and a windowed change can fire this test
        boolean profileCandidate =
                outOfProfile && windowRewritten && outOfProfileRecent >= PROFILE_MATCHES;
        // the ring's owner field holds the input digest: a client ring has one owner anyway
        ring.add(f, len, hash, digest, querySums); // the sums computed above
        int fromRing = matches;
        matches = Math.max(matches, found.own); // older near-duplicates the index still holds
        c.series.add(r.timestampMillis, matches);
        int evidence = Math.max(matches, windowedQueries);
        double scale = 1.0;
        if ((evidence >= CLIENT_MATCHES || profileCandidate) && c.queries >= c.quietUntil) {
            scale = sensitivity.multiplier(SignalType.QUERY_ATTACK);
        }
        int threshold = threshold(CLIENT_MATCHES, scale);
        int profileThreshold = threshold(PROFILE_MATCHES, scale);
        boolean profileFires = profileCandidate && outOfProfileRecent >= profileThreshold;
        if ((evidence >= threshold || profileFires) && c.queries >= c.quietUntil) {
            c.quietUntil = c.queries + CLIENT_RING;
            String reason =
                    matches >= threshold
                            ? "near_duplicate_queries"
                            : windowedQueries >= threshold
                                    ? "windowed_changes"
                                    : "out_of_profile_windowed_changes";
            Signal.Builder b =
                    Signal.builder(SignalType.QUERY_ATTACK, Severity.HIGH, reason)
                            .model(r.modelId)
                            .client(r.clientId)
                            .record(index, r.timestampMillis)
                            .evidence("nearDuplicates", matches)
                            .evidence("nearDuplicatesInClientRing", fromRing)
                            .evidence("nearDuplicatesInModelHistory", found.own)
                            .evidence("comparedWith", ring.size() - 1)
                            .evidence("windowedChangesInLast" + Long.SIZE, windowedQueries)
                            .evidence("windowUnchangedCellsAtLeast", WINDOW_UNCHANGED)
                            .evidence("threshold", threshold)
                            .evidence("thresholdMultiplier", scale)
                            .evidence("maxMeanAbsDiffPerCell", NEAR_PER_CELL)
                            .evidence("clientQueries", c.queries)
                            .evidence("exactRepeatsIgnored", c.repeats);
            if (m != null && m.profile.complete()) {
                TensorSummary in = r.inputs[0];
                b.evidence("outOfProfileInLast" + WINDOW_RECENT, outOfProfileRecent)
                        .evidence("outOfProfileThreshold", profileThreshold)
                        .evidence("inputZeroFraction", (double) in.zeroFraction)
                        .evidence("referenceZeroFractionMin", m.profile.zeroFraction().min())
                        .evidence("referenceZeroFractionMax", m.profile.zeroFraction().max())
                        .evidence("inputNonZeroMean", InputProfile.nonZeroMean(in))
                        .evidence("referenceNonZeroMeanMin", m.profile.nonZeroMean().min())
                        .evidence("referenceNonZeroMeanMax", m.profile.nonZeroMean().max());
            }
            c.series.addTo(b); // last, after the numbers a reader wants first
            sink.accept(b.build());
        }
        return false;
    }

    private void acrossClients(ModelState m, InferenceRecord r, long index, SignalSink sink) {
        capturedModels.touched(m); // its counters now, its index right after
        m.queries++;
        int matches = found.others;
        int distinct = found.otherClients;
        double scale = 1.0;
        if (matches >= GLOBAL_MATCHES && distinct >= GLOBAL_CLIENTS && m.queries >= m.quietUntil) {
            scale = sensitivity.multiplier(SignalType.QUERY_ATTACK);
        }
        int threshold = threshold(GLOBAL_MATCHES, scale);
        if (matches >= threshold && distinct >= GLOBAL_CLIENTS && m.queries >= m.quietUntil) {
            m.quietUntil = m.queries + CLIENT_RING;
            sink.accept(
                    Signal.builder(
                                    SignalType.QUERY_ATTACK,
                                    Severity.HIGH,
                                    "near_duplicate_queries_across_clients")
                            .model(r.modelId)
                            .record(index, r.timestampMillis)
                            .evidence("nearDuplicatesFromOtherClients", matches)
                            .evidence("otherClientsAtLeast", distinct)
                            .evidence("indexEntries", m.index.size())
                            .evidence("threshold", threshold)
                            .evidence("thresholdMultiplier", scale)
                            .evidence("maxMeanAbsDiffPerCell", NEAR_PER_CELL)
                            .evidence("latestClient", r.clientId)
                            .build());
        }
    }

    /**
     * Every client's ring and counters, least recently seen first (the eviction order), and every
     * model's index. Bounded by {@link #MAX_CLIENTS} rings of {@link #CLIENT_RING} fingerprints.
     */
    @Override
    public String saveState() {
        List<String> cs = new ArrayList<>();
        for (Map.Entry<String, ClientState> e : clients.entries()) {
            cs.add(clientJson(e.getKey(), e.getValue()));
        }
        Map<String, String> ms = new TreeMap<>();
        models.forEach((model, m) -> ms.put(model, modelJson(model, m)));
        return state(modelsRefused, clients.evictions(), cs, ms);
    }

    /**
     * What {@link #saveState()} would return now, but only the clients and models touched since the
     * previous capture are copied here (on the ingest thread); the JSON is made by the committer,
     * and only for those: the others' JSON is reused from earlier captures.
     */
    @Override
    public Supplier<String> captureState() {
        List<IncrementalCapture.Entry<ClientState>> cs = capturedClients.capture(clients.entries());
        List<IncrementalCapture.Entry<ModelState>> ms =
                capturedModels.capture(new TreeMap<>(models).entrySet());
        long refused = modelsRefused;
        long evictions = clients.evictions();
        return () -> {
            List<String> c = new ArrayList<>(cs.size());
            for (IncrementalCapture.Entry<ClientState> e : cs) {
                c.add(e.json(QueryAttackDetector::clientJson));
            }
            return state(refused, evictions, c, modelsJson(ms));
        };
    }

    /**
     * The clients as entries, least recently seen first; the models (a few, each with its index)
     * and the counters in the header.
     */
    @Override
    public EntryCapture captureEntries() {
        List<IncrementalCapture.Entry<ClientState>> cs = capturedClients.capture(clients.entries());
        List<IncrementalCapture.Entry<ModelState>> ms =
                capturedModels.capture(new TreeMap<>(models).entrySet());
        long refused = modelsRefused;
        long evictions = clients.evictions();
        return new EntryCapture(
                "clients",
                cs,
                QueryAttackDetector::clientJson,
                () -> state(refused, evictions, List.of(), modelsJson(ms)));
    }

    private static Map<String, String> modelsJson(List<IncrementalCapture.Entry<ModelState>> ms) {
        Map<String, String> m = new TreeMap<>();
        for (IncrementalCapture.Entry<ModelState> e : ms) {
            m.put(e.key, e.json(QueryAttackDetector::modelJson));
        }
        return m;
    }

    /** Every field a state of this detector has ever had: any other is a newer format's. */
    private static final Set<String> STATE_FIELDS =
            Set.of("modelsRefused", "clientEvictions", "clients", "models");

    private static String state(
            long refused, long evictions, List<String> clients, Map<String, String> models) {
        Map<String, Long> numbers = new LinkedHashMap<>();
        numbers.put("modelsRefused", refused);
        numbers.put("clientEvictions", evictions);
        return DetectorStateJson.assemble(numbers, "clients", clients, "models", models);
    }

    private static String clientJson(String key, ClientState c) {
        ObjectNode o = DetectorStateJson.MAPPER.createObjectNode();
        o.put("key", key);
        o.put("queries", c.queries);
        o.put("repeats", c.repeats);
        o.put("quietUntil", c.quietUntil);
        o.put("windowed", c.windowed);
        o.put("outOfProfile", c.outOfProfile);
        o.set("ring", c.ring.saveState());
        o.set(SimilaritySeries.KEY, c.series.saveState());
        return o.toString();
    }

    private static String modelJson(String model, ModelState m) {
        ObjectNode o = DetectorStateJson.MAPPER.createObjectNode();
        o.put("queries", m.queries);
        o.put("quietUntil", m.quietUntil);
        o.set("profile", m.profile.saveState());
        o.set("index", m.index.saveState());
        return o.toString();
    }

    @Override
    public void restoreState(String state) {
        JsonNode n = DetectorStateJson.parseKnown(state, name(), "clients", STATE_FIELDS);
        if (n.has("models") && !n.get("models").isObject()) {
            throw new UnknownStateFormatException(name() + " state's models are not an object");
        }
        List<Map.Entry<String, ClientState>> cs = new ArrayList<>();
        for (JsonNode o : n.path("clients")) {
            ClientState c = new ClientState();
            c.queries = o.path("queries").asLong();
            c.repeats = o.path("repeats").asLong();
            c.quietUntil = o.path("quietUntil").asLong();
            c.windowed = o.path("windowed").asLong(); // 0 in states saved before the test
            c.outOfProfile = o.path("outOfProfile").asLong();
            c.ring.restoreState(o.path("ring"));
            c.series.restoreState(o.path(SimilaritySeries.KEY));
            cs.add(new AbstractMap.SimpleEntry<>(o.path("key").asText(), c));
        }
        Map<String, ModelState> ms = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.path("models").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            ModelState m = new ModelState();
            m.queries = e.getValue().path("queries").asLong();
            m.quietUntil = e.getValue().path("quietUntil").asLong();
            JsonNode saved = e.getValue();
            m.profile = InputProfile.restore(saved.get("profile")); // learnt again if absent
            if (saved.has("index")) {
                m.index.restoreState(saved.path("index"));
            } else {
                LegacyModelRing.restoreInto(saved.path("ring"), m.index); // before the index
            }
            ms.put(e.getKey(), m);
        }
        if (ms.size() > MAX_MODELS) {
            throw new IllegalArgumentException("more models than the detector holds");
        }
        clients.restore(cs, n.path("clientEvictions").asLong());
        models.clear();
        models.putAll(ms);
        recentModels.clear();
        modelsRefused = n.path("modelsRefused").asLong();
        capturedClients.reset();
        capturedModels.reset();
    }

    /** Clients whose state was evicted to stay within {@link #MAX_CLIENTS}. */
    public long clientEvictions() {
        return clients.evictions();
    }

    int trackedClients() {
        return clients.size();
    }

    /** Models without account-free state because {@link #MAX_MODELS} were tracked. */
    public long modelsRefused() {
        return modelsRefused;
    }
}
