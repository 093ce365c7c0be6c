package io.mlguard.collector.detect;

import java.util.Arrays;

/**
 * What the {@link ExtractionDetector} keeps of one client: its queries per predicted class (as
 * PRADA, Juuti et al., 2019, compares a query only with earlier ones of its class), the client's
 * last few queries of any class (to recognise retries and video frames), the window of minimum
 * distances the Shapiro–Wilk test runs on, and counters for the evidence. Storage grows with the
 * client's traffic and is bounded by {@link #PARTITIONS} × {@link #KEPT_PER_CLASS} + {@link
 * #RECENT} fingerprints.
 *
 * <p>PRADA adds a query to its class's set only when it is farther than a threshold from the set
 * (mean minus deviation of the distances so far); here every new input is kept. On the demo's real
 * fingerprints that threshold kept only an attacker's seeds, so each later synthetic query was
 * measured against an ancestor several steps back and the distances looked normal (W ≥ 0.90); with
 * every query kept the same attack fell to W ≈ 0.56 and benign clients stayed at W ≥ 0.96.
 */
final class ExtractionClient extends IncrementalCapture.Tracked {
    /** Classes share a set modulo this, so a model with thousands of classes stays bounded. */
    static final int PARTITIONS = 16;

    /**
     * Queries kept per class. PRADA keeps them all; past this a uniform sample is kept (reservoir),
     * so the cost of a query stays bounded.
     */
    static final int KEPT_PER_CLASS = 128;

    /** Last queries of any class, compared first to drop retries and bursts of frames. */
    static final int RECENT = 8;

    /**
     * Entries a class's set is first made for: under 100,000 clients of a handful of queries each,
     * most classes of a client see one query (the budget still counts 2, as it always did).
     */
    static final int KEPT_FIRST_STORAGE = 1;

    /**
     * Entries the recent queries' set is first made for: such clients send 3 or 4 queries, which
     * took a 2-entry array and its copy to 4 (the budget still counts 2 until the third query).
     */
    static final int RECENT_FIRST_STORAGE = 4;

    final NearestQuerySet[] kept = new NearestQuerySet[PARTITIONS];
    final NearestQuerySet recent;
    float[] distances = new float[0]; // a ring, grown up to the detector's window
    int filled;
    int next;
    long added;
    long queries;
    long firstMillis = Long.MIN_VALUE;
    long classesSeen; // a bit per predicted class below 64
    long quietUntil;
    int length; // cells of this client's fingerprints; 0 until the first
    // allocated(), kept by the detector as the client's sets grow, so that evicting a client (a
    // cold one: the least recently seen) costs no read of its seventeen sets
    int allocatedKnown;

    ExtractionClient() {
        this(new NearestQuerySet(RECENT, NearestQuerySet.Replacement.OLDEST, RECENT_FIRST_STORAGE));
    }

    private ExtractionClient(NearestQuerySet recent) {
        this.recent = recent;
    }

    /** A deep copy (a checkpoint's view of the client while the original goes on). */
    ExtractionClient copy() {
        ExtractionClient c = new ExtractionClient(recent.copy());
        for (int p = 0; p < PARTITIONS; p++) {
            c.kept[p] = kept[p] == null ? null : kept[p].copy();
        }
        c.distances = distances.clone();
        c.filled = filled;
        c.next = next;
        c.added = added;
        c.queries = queries;
        c.firstMillis = firstMillis;
        c.classesSeen = classesSeen;
        c.quietUntil = quietUntil;
        c.length = length;
        c.allocatedKnown = allocatedKnown;
        return c;
    }

    /** The set of the partition {@code label} falls in, made on first use. */
    NearestQuerySet kept(int label) {
        int p = Math.floorMod(label, PARTITIONS);
        if (kept[p] == null) {
            kept[p] =
                    new NearestQuerySet(
                            KEPT_PER_CLASS,
                            NearestQuerySet.Replacement.RESERVOIR,
                            KEPT_FIRST_STORAGE);
        }
        return kept[p];
    }

    void addDistance(double d, int window) {
        if (filled < window && filled == distances.length) {
            distances = Arrays.copyOf(distances, Math.min(window, Math.max(16, filled * 2)));
        }
        distances[next] = (float) d;
        next = (next + 1) % window;
        filled = Math.min(filled + 1, window);
        added++;
    }

    /** The distances in the window, oldest first, into {@code out}; returns how many. */
    int distancesInOrder(double[] out, int window) {
        int start = filled < window ? 0 : next;
        for (int i = 0; i < filled; i++) {
            out[i] = distances[(start + i) % window];
        }
        return filled;
    }

    /**
     * Fingerprints stored in the two sets a query of class {@code label} can add to (the recent
     * queries and the label's partition): what {@link #allocated()} can change by with that query,
     * without reading all {@link #PARTITIONS} sets (a cache miss each) twice per query.
     */
    int allocatedFor(int label) {
        NearestQuerySet k = kept[Math.floorMod(label, PARTITIONS)];
        return recent.allocated() + (k == null ? 0 : k.allocated());
    }

    /** Fingerprints stored, for the detector's memory budget. */
    int allocated() {
        int n = recent.allocated();
        for (NearestQuerySet k : kept) {
            if (k != null) {
                n += k.allocated();
            }
        }
        return n;
    }

    /** Queries kept in the growing sets: how much of the input space the client has covered. */
    long keptQueries() {
        long n = 0;
        for (NearestQuerySet k : kept) {
            if (k != null) {
                n += k.size();
            }
        }
        return n;
    }
}
