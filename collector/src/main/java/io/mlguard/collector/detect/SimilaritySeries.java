package io.mlguard.collector.detect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;

/**
 * A client's last {@code capacity} queries as (record time, near-duplicates found among its earlier
 * queries): the picture of a query attack, where the count climbs and stays high while an ordinary
 * client's stays near zero. Bounded, so it can travel in a signal's evidence.
 */
final class SimilaritySeries {
    /** The key of this state in a client's checkpoint. */
    static final String KEY = "series";

    private final long[] times;
    private final long[] counts;
    private int size;
    private int next;

    SimilaritySeries(int capacity) {
        times = new long[capacity];
        counts = new long[capacity];
    }

    private SimilaritySeries(SimilaritySeries o) {
        times = o.times.clone();
        counts = o.counts.clone();
        size = o.size;
        next = o.next;
    }

    /** A deep copy (a checkpoint's view of the series while the original goes on). */
    SimilaritySeries copy() {
        return new SimilaritySeries(this);
    }

    void add(long timeMillis, long nearDuplicates) {
        times[next] = timeMillis;
        counts[next] = nearDuplicates;
        next = (next + 1) % times.length;
        size = Math.min(size + 1, times.length);
    }

    /** Forgets every point (a client slot reused for another client). */
    void clear() {
        size = 0;
        next = 0;
    }

    int size() {
        return size;
    }

    private int start() {
        return size == times.length ? next : 0;
    }

    /** Record times (epoch ms), oldest first. */
    long[] times() {
        long[] out = new long[size];
        for (int i = 0; i < size; i++) {
            out[i] = times[(start() + i) % times.length];
        }
        return out;
    }

    /** Near-duplicate counts, oldest first. */
    long[] counts() {
        long[] out = new long[size];
        for (int i = 0; i < size; i++) {
            out[i] = counts[(start() + i) % times.length];
        }
        return out;
    }

    /** Adds the series to a signal's evidence. */
    void addTo(Signal.Builder b) {
        b.evidence("seriesTimesMillis", times()).evidence("nearDuplicateSeries", counts());
    }

    /** The points oldest first as [time, count] pairs. */
    ArrayNode saveState() {
        ArrayNode a = DetectorStateJson.MAPPER.createArrayNode();
        for (int i = 0; i < size; i++) {
            int k = (start() + i) % times.length;
            a.addArray().add(times[k]).add(counts[k]);
        }
        return a;
    }

    /** Restores what {@link #saveState()} wrote; a missing state (older checkpoints) is empty. */
    void restoreState(JsonNode points) {
        if (points.size() > times.length) {
            throw new IllegalArgumentException("similarity series longer than its capacity");
        }
        size = 0;
        next = 0;
        for (JsonNode p : points) {
            add(p.path(0).asLong(), p.path(1).asLong());
        }
    }
}
