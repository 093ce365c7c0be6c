package io.mlguard.collector.detect;

import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * A checkpoint in parts, for a store that writes only what changed (one row per entry): a small
 * header (the state with an empty entries array: counters and anything not per key) and the per-key
 * entries in the state's order. An entry that did not change since an earlier capture is the very
 * same object ({@link #identity}) in both, so the store can tell changed entries apart by identity
 * without comparing their JSON. {@link #assemble} joins a header and entries back into the state
 * {@link Checkpointable#saveState()} returns.
 *
 * <p>The entries are fixed when the detector captures (ingest thread); their JSON and the header
 * are made on first use, by whichever thread asks (the committer).
 */
public final class EntryCapture {
    private final String arrayName;
    private final List<? extends IncrementalCapture.Entry<?>> entries;
    private final BiFunction<String, Object, String> write;
    private final Supplier<String> header;

    @SuppressWarnings("unchecked")
    <V> EntryCapture(
            String arrayName,
            List<IncrementalCapture.Entry<V>> entries,
            BiFunction<String, V, String> write,
            Supplier<String> header) {
        this.arrayName = arrayName;
        this.entries = entries;
        this.write = (BiFunction<String, Object, String>) (BiFunction<String, ?, String>) write;
        this.header = header;
    }

    /** The name of the state's array that holds the entries. */
    public String arrayName() {
        return arrayName;
    }

    /** The state without its entries (the array is empty). */
    public String header() {
        return header.get();
    }

    public int size() {
        return entries.size();
    }

    public String key(int i) {
        return entries.get(i).key;
    }

    /** The same object as long as the entry stays unchanged from capture to capture. */
    public Object identity(int i) {
        return entries.get(i);
    }

    /** The entry's JSON, made once per entry. */
    @SuppressWarnings("unchecked")
    public String json(int i) {
        return ((IncrementalCapture.Entry<Object>) entries.get(i)).json(write);
    }

    /** The whole state from a header and the JSON of its entries in order. */
    public static String assemble(String header, String arrayName, List<String> entries) {
        return DetectorStateJson.withArray(header, arrayName, entries);
    }
}
