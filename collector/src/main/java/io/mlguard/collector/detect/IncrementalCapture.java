package io.mlguard.collector.detect;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;

/**
 * Keyed detector state (per client, per model) captured for a checkpoint without copying or
 * serialising everything each time. The detector reports each value it touches ({@link #touched}: a
 * mark in the value, no set of keys to grow per record under 100,000 clients); a capture, on the
 * ingest thread, deep-copies only the values touched since the previous capture and reuses the
 * previous capture's entries for the others; each entry is turned into JSON once, on whichever
 * thread first writes it (the committer), and that JSON is reused by later captures until the key
 * is touched again. So the ingest thread pays for the changed values only, and the committer
 * serialises the changed values only.
 *
 * <p>Entries are never changed after a capture (the copy is private to it, its JSON is memoised
 * under the entry's lock), so a capture stays the state of its moment however long the committer
 * takes and however many captures follow. Ingest thread only, except {@link Entry#json}.
 *
 * @param <V> the live, mutable value
 */
final class IncrementalCapture<V extends IncrementalCapture.Tracked> {
    /**
     * Makes a deep copy of a live value, sharing nothing mutable with it; into {@code spare} (a
     * copy an earlier capture no longer needs) when that is not null.
     */
    interface Copier<V> {
        V copy(V live, V spare);
    }

    /** A live value: remembers the capture it was last touched before. */
    abstract static class Tracked {
        long touchedIn = -1;
        // the entry of the last capture that held this value, valid in capture number entryFor
        // (so no map from key to entry is built per capture: one per capture cost as much as the
        // copies under 100,000 clients)
        Entry<?> entry;
        long entryFor = -1;
    }

    /** One key's value as of a capture: a private copy until written, then its JSON. */
    static final class Entry<V> {
        final String key;
        private final AtomicReference<V> spare;
        private V copy;
        private String json;

        private Entry(String key, V copy, AtomicReference<V> spare) {
            this.key = key;
            this.copy = copy;
            this.spare = spare;
        }

        /**
         * The value's JSON, made from the copy on first use; the copy is then handed back for a
         * later capture to copy into (a model's index is megabytes: reused, not reallocated).
         */
        synchronized String json(BiFunction<String, V, String> write) {
            if (json == null) {
                json = write.apply(key, copy);
                spare.set(copy);
                copy = null;
            }
            return json;
        }
    }

    private final Copier<V> copier;
    private final AtomicReference<V> spare = new AtomicReference<>();

    /** Counts captures (and resets): a value marked with the current one changed since the last. */
    private long generation;

    IncrementalCapture(Copier<V> copier) {
        this.copier = copier;
    }

    /** {@code value} changed (or was created, or reused for another key) since the last capture. */
    void touched(V value) {
        value.touchedIn = generation;
    }

    /** Forgets every previous capture: the next one copies everything (after a restore). */
    void reset() {
        generation++;
    }

    /**
     * The live entries, in the order given, as of now: copies of those touched since the last
     * capture (or new to it), the last capture's entries for the rest. Keys not given are dropped.
     */
    @SuppressWarnings("unchecked")
    List<Entry<V>> capture(Iterable<Map.Entry<String, V>> live) {
        List<Entry<V>> out = new ArrayList<>();
        for (Map.Entry<String, V> e : live) {
            V v = e.getValue();
            // an untouched value keeps its key: a value reused for another key is touched
            Entry<V> kept =
                    v.touchedIn != generation && v.entryFor == generation
                            ? (Entry<V>) v.entry
                            : null;
            if (kept == null) {
                kept = new Entry<>(e.getKey(), copier.copy(v, spare.getAndSet(null)), spare);
            }
            out.add(kept);
            v.entry = kept;
            v.entryFor = generation + 1;
        }
        generation++;
        return out;
    }
}
