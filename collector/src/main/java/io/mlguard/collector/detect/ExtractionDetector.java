package io.mlguard.collector.detect;

import io.mlguard.collector.detect.stats.ShapiroWilk;
import io.mlguard.protocol.InferenceRecord;
import io.mlguard.protocol.Outcome;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Supplier;

/**
 * Model extraction as PRADA detects it (Juuti et al., 2019): for each new query of a client, the L2
 * distance (fingerprint space) to the nearest query of the same predicted class the client sent
 * before goes into a set D; a query farther than the class's threshold joins that class's growing
 * set. Natural queries give roughly normal distances; synthetic extraction queries (Jacobian-based
 * augmentation, perturbations of a few seeds) sit at a fixed small step from their parents, so D
 * turns skewed or two-humped and its Shapiro–Wilk W falls below {@link #W_THRESHOLD}. The signal
 * carries the query rate, the classes covered and the queries kept (input-space coverage).
 *
 * <p>The nearest query is sought in the client's whole history as the growing sets keep it (see
 * {@link ExtractionClient}), not in a window of recent queries: an attacker's synthetic queries are
 * derived from seeds sent hundreds of queries earlier. Retries, resubmissions and near-identical
 * frames (mean difference per cell up to {@link #NEAR_PER_CELL}) are left out of D.
 *
 * <p>Bounded: a query costs at most {@link ExtractionClient#KEPT_PER_CLASS} + {@link
 * ExtractionClient#RECENT} comparisons; at most {@link #MAX_CLIENTS} clients and {@link
 * #MAX_STORED} stored fingerprints in all are kept, the least recently seen clients evicted (and
 * counted) beyond either.
 */
public final class ExtractionDetector implements Detector, Checkpointable {
    /** Minimum distances in the tested window (PRADA tests all of them). */
    static final int DISTANCES = 200;

    static final int MIN_DISTANCES = 100;
    static final int TEST_EVERY = 10;

    /**
     * PRADA's δ. On the demo's real agent fingerprints, benign MNIST clients measure W ≈ 0.97–0.99
     * and a window mixing an attacker's seeds and first synthetic round about 0.88.
     */
    static final double W_THRESHOLD = 0.94;

    /**
     * Mean absolute difference per cell up to which two queries are the same input. Wider than the
     * query-attack detector's 2.0: re-captured frames of one digit sent far apart (the demo's
     * benign-realistic clients, dealt at random to 400 clients of 1,000 queries) differ by 2–3 per
     * cell and flagged 3.5 % of those clients at 2.0, none at 3.0; an extraction's first synthetic
     * round sits at 10 or more per cell from its seeds.
     */
    static final double NEAR_PER_CELL = 3.0;

    static final int MIN_LENGTH = 16;
    static final int MAX_CLIENTS = 100_000;

    /** Fingerprints kept over all clients (80 bytes each: about 42 MB). */
    static final long MAX_STORED = 1L << 19;

    /** Bins of the distance histogram in the evidence. */
    static final int DISTANCE_BINS = 12;

    private final BoundedClientMap<ExtractionClient> clients;
    // the clients touched since the last checkpoint capture: only they are copied by the next one
    private final IncrementalCapture<ExtractionClient> captured =
            new IncrementalCapture<>((live, spare) -> live.copy());
    private final int[] sums = new int[NearestQuerySet.BLOCKS];
    private final double[] window = new double[DISTANCES];
    private final Sensitivity sensitivity;
    private final int maxClients;
    private final long maxStored;
    private long stored;

    public ExtractionDetector() {
        this(Sensitivity.untuned());
    }

    /**
     * With multiplier m from {@code sensitivity}, a client is flagged when {@code 1 - W} exceeds
     * {@code (1 - W_THRESHOLD) × m}: feedback lowers the W that counts as non-normal.
     */
    public ExtractionDetector(Sensitivity sensitivity) {
        this(sensitivity, MAX_CLIENTS, MAX_STORED);
    }

    /** With other bounds than the default ones (tests of eviction). */
    ExtractionDetector(Sensitivity sensitivity, int maxClients, long maxStored) {
        this.sensitivity = sensitivity;
        this.maxClients = maxClients;
        this.maxStored = maxStored;
        this.clients = new BoundedClientMap<>(maxClients);
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
                || len < MIN_LENGTH
                || len > NearestQuerySet.MAX_LENGTH) {
            return;
        }
        ExtractionClient c = clients.get(r.modelId, r.clientId);
        if (c == null) {
            if (clients.size() == maxClients) {
                stored -= clients.evictEldestExcept(null).allocatedKnown;
            }
            c = clients.add(r.modelId, r.clientId, ExtractionClient::new);
            c.allocatedKnown = c.allocated(); // hot, and 0: sets allocate on their first entry
        }
        captured.touched(c);
        int label = label(r);
        c.queries++;
        if (c.firstMillis == Long.MIN_VALUE) {
            c.firstMillis = r.timestampMillis;
        }
        if (label >= 0) {
            c.classesSeen |= 1L << Math.min(63, label);
        }
        if (c.length == 0) {
            c.length = len;
        } else if (c.length != len) {
            return; // another input shape: not comparable with what the client sent so far
        }
        int before = c.allocatedFor(label);
        double d = distance(c, r.fingerprint, len, label);
        int grown = c.allocatedFor(label) - before;
        stored += grown;
        c.allocatedKnown += grown;
        evictBeyondStorage(c);
        if (d < 0) {
            return;
        }
        c.addDistance(d, DISTANCES);
        if (c.filled >= MIN_DISTANCES && c.added % TEST_EVERY == 0 && c.added >= c.quietUntil) {
            test(c, r, index, sink);
        }
    }

    /** The distance PRADA adds to D for this query, or -1 when none (near-duplicate, first). */
    private double distance(ExtractionClient c, byte[] f, int len, int label) {
        NearestQuerySet.blockSums(f, len, sums);
        long hash = hash(f, len);
        int near = (int) (NEAR_PER_CELL * len);
        if (c.recent.nearest(f, len, sums, near) == NearestQuerySet.NEAR_DUPLICATE) {
            c.recent.add(f, len, sums, hash); // a burst of frames may drift: follow it
            return -1;
        }
        c.recent.add(f, len, sums, hash);
        NearestQuerySet kept = c.kept(label);
        long squared = kept.nearest(f, len, sums, near);
        if (squared == NearestQuerySet.NEAR_DUPLICATE) {
            return -1; // a resubmission of something kept
        }
        kept.add(f, len, sums, hash);
        // the first of its class has no predecessor
        return squared == NearestQuerySet.EMPTY ? -1 : Math.sqrt(squared);
    }

    private void test(ExtractionClient c, InferenceRecord r, long index, SignalSink sink) {
        int n = c.distancesInOrder(window, DISTANCES);
        ShapiroWilk.Result w = ShapiroWilk.test(window, n);
        double scale = sensitivity.multiplier(SignalType.EXTRACTION);
        double threshold = 1 - (1 - W_THRESHOLD) * scale;
        if (w.w() >= threshold) {
            return;
        }
        c.quietUntil = c.added + DISTANCES;
        double minutes = Math.max(1.0 / 60, (r.timestampMillis - c.firstMillis) / 60_000.0);
        // Benign distances look bell-shaped; an extraction's are skewed or two-humped.
        EqualWidthHistogram histogram = EqualWidthHistogram.of(window, n, DISTANCE_BINS);
        sink.accept(
                Signal.builder(SignalType.EXTRACTION, Severity.HIGH, "non_normal_query_distances")
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
                        .evidence("keptQueries", c.keptQueries())
                        .evidence("distanceBinUpperEdges", histogram.upperEdges())
                        .evidence("distanceCounts", histogram.counts())
                        .build());
    }

    /**
     * Evicts the least recently seen clients but {@code current} while more fingerprints than
     * {@code maxStored} are kept.
     */
    private void evictBeyondStorage(ExtractionClient current) {
        while (stored > maxStored) {
            ExtractionClient gone = clients.evictEldestExcept(current);
            if (gone == null) {
                return;
            }
            stored -= gone.allocatedKnown;
        }
    }

    private static int label(InferenceRecord r) {
        for (int i = 0; i < r.outputCount; i++) {
            if (r.outputs[i].topK > 0 && r.outputs[i].topClasses[0] >= 0) {
                return r.outputs[i].topClasses[0];
            }
        }
        return -1;
    }

    /** FNV-1a of the cells: draws reservoir slots, the same on a replay. */
    static long hash(byte[] f, int length) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < length; i++) {
            h = (h ^ (f[i] & 0xff)) * 0x100000001b3L;
        }
        return h ^ length;
    }

    @Override
    public String saveState() {
        return ExtractionState.save(clients.entries(), clients.evictions());
    }

    /**
     * What {@link #saveState()} would return now; only the clients touched since the previous
     * capture are copied here (on the ingest thread), and the committer makes the JSON of those
     * only, reusing the rest from earlier captures.
     */
    @Override
    public Supplier<String> captureState() {
        List<IncrementalCapture.Entry<ExtractionClient>> cs = captured.capture(clients.entries());
        long ev = clients.evictions();
        return () -> {
            List<String> json = new ArrayList<>(cs.size());
            for (IncrementalCapture.Entry<ExtractionClient> e : cs) {
                json.add(e.json(ExtractionState::client));
            }
            return ExtractionState.assemble(json, ev);
        };
    }

    /** The clients as entries, least recently seen first; the eviction count in the header. */
    @Override
    public EntryCapture captureEntries() {
        List<IncrementalCapture.Entry<ExtractionClient>> cs = captured.capture(clients.entries());
        long ev = clients.evictions();
        return new EntryCapture(
                ExtractionState.CLIENTS,
                cs,
                ExtractionState::client,
                () -> ExtractionState.assemble(List.of(), ev));
    }

    @Override
    public void restoreState(String state) {
        LinkedHashMap<String, ExtractionClient> restored = new LinkedHashMap<>();
        long ev = ExtractionState.restore(state, restored, DISTANCES);
        if (restored.size() > maxClients) {
            throw new IllegalArgumentException("more extraction clients than the detector holds");
        }
        clients.restore(new ArrayList<>(restored.entrySet()), ev);
        captured.reset();
        stored = 0;
        for (ExtractionClient c : clients.values()) {
            c.allocatedKnown = c.allocated();
            stored += c.allocatedKnown;
        }
        evictBeyondStorage(null);
    }

    /** Clients whose state was evicted to stay within the client or storage bound. */
    public long clientEvictions() {
        return clients.evictions();
    }

    int trackedClients() {
        return clients.size();
    }

    /**
     * The fingerprints stored, counted afresh from every client's sets; -1 when a client's kept
     * count differs from its sets' (tests: the running counts must be exact).
     */
    long recountStored() {
        long n = 0;
        for (ExtractionClient c : clients.values()) {
            if (c.allocatedKnown != c.allocated()) {
                return -1;
            }
            n += c.allocatedKnown;
        }
        return n;
    }

    long storedFingerprints() {
        return stored;
    }
}
