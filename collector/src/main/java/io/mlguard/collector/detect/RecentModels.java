package io.mlguard.collector.detect;

import java.util.Map;
import java.util.function.Function;

/**
 * The state of the last few models a detector looked up, keyed by the very model-id string: the
 * record reader's string cache hands out one instance per id, so traffic that interleaves a few
 * models finds its state with a few reference comparisons instead of a hash-map look-up per record.
 * A miss (a model not among the last few, or an id that is an equal but different string) says
 * nothing: the caller's map stays the truth ({@link #find} looks there next and remembers what it
 * found). Values are never removed from the caller's map except by a restore, which must {@link
 * #clear} this. Not thread-safe: the ingest thread owns it.
 *
 * @param <V> the per-model state
 */
final class RecentModels<V> {
    /** Models remembered: the benchmarks' and demo's traffic interleaves two or three. */
    static final int SIZE = 4;

    private final String[] ids = new String[SIZE];
    private final Object[] values = new Object[SIZE];
    private int next;

    /** The state put for this very string, or null ({@code id} null included). */
    @SuppressWarnings("unchecked")
    V get(String id) {
        if (id == null) {
            return null;
        }
        for (int i = 0; i < SIZE; i++) {
            if (ids[i] == id) {
                return (V) values[i];
            }
        }
        return null;
    }

    /**
     * The state of model {@code id}: from the last few, else from {@code map}, else made by {@code
     * create} and put into {@code map}; {@code create} returns {@code null} to refuse (nothing is
     * stored, {@code null} is returned). A state found or made is remembered here (unless {@code
     * id} is null). {@code create} should be a field, not a lambda made per call.
     */
    V find(String id, Map<String, V> map, Function<String, V> create) {
        V v = get(id);
        if (v != null) {
            return v;
        }
        v = map.get(id);
        if (v == null) {
            v = create.apply(id);
            if (v == null) {
                return null;
            }
            map.put(id, v);
        }
        if (id != null) {
            put(id, v);
        }
        return v;
    }

    /** Remembers {@code value} (not null) for {@code id} (not null), replacing the oldest. */
    void put(String id, V value) {
        ids[next] = id;
        values[next] = value;
        next = (next + 1) % SIZE;
    }

    /** Forgets everything (the caller's map was replaced). */
    void clear() {
        for (int i = 0; i < SIZE; i++) {
            ids[i] = null;
            values[i] = null;
        }
        next = 0;
    }
}
