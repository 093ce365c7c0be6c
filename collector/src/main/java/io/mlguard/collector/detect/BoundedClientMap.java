package io.mlguard.collector.detect;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Per-client state with a hard cap: past {@code capacity} clients the least recently seen one is
 * evicted and counted, so 100,000 distinct (or rotating) client ids cost bounded memory. An
 * attacker who rotates ids to escape per-client state is the business of the detectors'
 * account-free checks.
 */
final class BoundedClientMap<V> {
    private final int capacity;
    private final LinkedHashMap<String, V> map;
    private final Consumer<V> reset;
    private V spare; // the last evicted value, reset and reused for the next new client
    private long evictions;

    BoundedClientMap(int capacity) {
        this(capacity, null);
    }

    /**
     * @param reset makes an evicted value as good as new, so that a stream of new clients reuses
     *     the evicted ones' (large) state instead of allocating it per client; {@code null}: never
     *     reuse
     */
    BoundedClientMap(int capacity, Consumer<V> reset) {
        this.capacity = capacity;
        this.reset = reset;
        this.map =
                new LinkedHashMap<>(16, 0.75f, true) {
                    private static final long serialVersionUID = 1L;

                    @Override
                    protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                        if (size() > BoundedClientMap.this.capacity) {
                            evictions++;
                            spare = eldest.getValue();
                            return true;
                        }
                        return false;
                    }
                };
    }

    V get(String key, Function<String, V> create) {
        V v = map.get(key);
        if (v == null) {
            if (spare != null && reset != null) {
                v = spare;
                reset.accept(v);
            } else {
                v = create.apply(key);
            }
            spare = null;
            map.put(key, v);
        }
        return v;
    }

    /** The entries from least to most recently seen: the order eviction follows. */
    List<Map.Entry<String, V>> entries() {
        return new ArrayList<>(map.entrySet());
    }

    /**
     * Replaces the content with entries given least recently seen first, and the eviction count.
     */
    void restore(List<Map.Entry<String, V>> entries, long evictions) {
        if (entries.size() > capacity) {
            throw new IllegalArgumentException("more clients than the map holds");
        }
        map.clear();
        spare = null;
        for (Map.Entry<String, V> e : entries) {
            map.put(e.getKey(), e.getValue());
        }
        this.evictions = evictions;
    }

    int size() {
        return map.size();
    }

    long evictions() {
        return evictions;
    }
}
