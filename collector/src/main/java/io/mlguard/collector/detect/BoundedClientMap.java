package io.mlguard.collector.detect;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Per-(model, client) state with a hard cap, least recently seen first out: past {@code capacity}
 * clients the least recently seen one is evicted and counted, so 100,000 distinct (or rotating)
 * client ids cost bounded memory. An attacker who rotates ids to escape per-client state is the
 * business of the detectors' account-free checks.
 *
 * <p>Exactly the order of an access-ordered {@code LinkedHashMap} keyed by {@link #key}{@code
 * (model, client)} (what it replaces, and what checkpoints hold), without its cost per record: the
 * key is never built to look a client up (its {@code String} hash is computed from the two ids'
 * cached hashes, and compared piece by piece), and there is no node per client: numbered slots in
 * two arrays, a doubly linked recency list of slot numbers, and an open-addressing index whose
 * entries carry the hash, so a probe reads one cache line until the hash matches; a slot's fields
 * lie side by side. The key string is built only when a checkpoint asks for the entries, once per
 * client.
 */
final class BoundedClientMap<V> {
    private static final int NONE = -1;
    private static final int[] POW31 = new int[256];

    static {
        POW31[0] = 1;
        for (int i = 1; i < POW31.length; i++) {
            POW31[i] = POW31[i - 1] * 31;
        }
    }

    private final int capacity;
    private final Consumer<V> reset;
    // per slot s, side by side so that a slot is two cache lines, not seven: at refs[4s..4s+3]
    // the model and client ids (null once restored from a key), the key (built on demand) and the
    // value; at links[4s..4s+2] the older and newer slots in the recency list and the key's hash
    private final Object[] refs;
    private final int[] links;
    // open addressing, linear probing: (hash << 32) | (slot + 1), 0 for empty
    private final long[] index;
    private final int mask;
    private final int[] free; // slots not in use, a stack
    private int freeCount;
    private int eldest = NONE;
    private int newest = NONE;
    private int size;
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
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity " + capacity);
        }
        this.capacity = capacity;
        this.reset = reset;
        refs = new Object[capacity * 4];
        links = new int[capacity * 4];
        index = new long[Integer.highestOneBit(capacity * 2 - 1) << 1];
        mask = index.length - 1;
        free = new int[capacity];
        clear();
    }

    /** The hash of {@link #key}{@code (model, client)}, as {@link String#hashCode()} gives it. */
    static int hash(String model, String client) {
        if (lengthFirst(model)) {
            return key(model, client).hashCode();
        }
        int n = client.length() + 1;
        int pow;
        if (n < POW31.length) {
            pow = POW31[n];
        } else {
            pow = 1;
            for (int i = 0; i < n; i++) {
                pow *= 31;
            }
        }
        return model.hashCode() * pow + client.hashCode();
    }

    /**
     * The key under which checkpoints hold a client's state: {@code model + '\0' + client}, which
     * splits back at its first NUL. A model id that holds a NUL itself (or starts with {@link
     * #LENGTH_FIRST}) is written length first instead, {@code '\u0001' + length + ':' + model +
     * '\0' + client}: otherwise model {@code "a\0b"} with client {@code "c"} and model {@code "a"}
     * with client {@code "b\0c"} would share a key, and a restart would merge the two clients'
     * states. Every other key is spelled as before, so stored states keep their keys.
     */
    static String key(String model, String client) {
        if (lengthFirst(model)) {
            return LENGTH_FIRST
                    + Integer.toString(model.length())
                    + ':'
                    + model
                    + '\u0000'
                    + client;
        }
        return model + '\u0000' + client;
    }

    /** Marks a key whose model id is written length first; see {@link #key}. */
    static final char LENGTH_FIRST = '\u0001';

    /** Whether {@link #key} writes this model id length first (a scan of a short id). */
    static boolean lengthFirst(String model) {
        return (!model.isEmpty() && model.charAt(0) == LENGTH_FIRST)
                || model.indexOf('\u0000') >= 0;
    }

    /** The client's value, now its most recently seen; {@code null} if not held. */
    @SuppressWarnings("unchecked")
    V get(String model, String client) {
        model = String.valueOf(model); // as the concatenation spells null
        client = String.valueOf(client);
        int slot = find(hash(model, client), model, client);
        if (slot == NONE) {
            return null;
        }
        touch(slot);
        return (V) value(slot);
    }

    /**
     * The client's value, now its most recently seen; if not held, a new one, made room for by
     * evicting the least recently seen client when full (whose value, reset, is the new one's when
     * a reset was given), else from {@code create}.
     */
    @SuppressWarnings("unchecked")
    V get(String model, String client, Supplier<V> create) {
        model = String.valueOf(model);
        client = String.valueOf(client);
        int h = hash(model, client); // once for the look-up and, for a new client, the insert
        int slot = find(h, model, client);
        if (slot != NONE) {
            touch(slot);
            return (V) value(slot);
        }
        return add(h, model, client, create);
    }

    /** Adds a client not held (see {@link #get(String, String, Supplier)}). */
    V add(String model, String client, Supplier<V> create) {
        model = String.valueOf(model);
        client = String.valueOf(client);
        return add(hash(model, client), model, client, create);
    }

    @SuppressWarnings("unchecked")
    private V add(int h, String model, String client, Supplier<V> create) {
        V v = null;
        if (size == capacity) {
            v = evictEldest(NONE);
            if (reset != null) {
                reset.accept(v);
            } else {
                v = null;
            }
        }
        if (v == null) {
            v = create.get();
        }
        insert(h, model, client, null, v);
        return v;
    }

    /**
     * Evicts the least recently seen client whose value is not {@code keep} (by identity; {@code
     * null} keeps none) and counts it.
     *
     * @return the evicted value, or {@code null} when there was none to evict
     */
    @SuppressWarnings("unchecked")
    V evictEldestExcept(V keep) {
        for (int s = eldest; s != NONE; s = newer(s)) {
            if (value(s) != keep) {
                return evictEldest(s);
            }
        }
        return null;
    }

    private V evictEldest(int start) {
        int s = start == NONE ? eldest : start;
        @SuppressWarnings("unchecked")
        V v = (V) value(s);
        remove(s);
        evictions++;
        return v;
    }

    /** The entries from least to most recently seen: the order eviction follows. */
    @SuppressWarnings("unchecked")
    List<Map.Entry<String, V>> entries() {
        List<Map.Entry<String, V>> out = new ArrayList<>(size);
        for (int s = eldest; s != NONE; s = newer(s)) {
            out.add(new AbstractMap.SimpleImmutableEntry<>(keyAt(s), (V) value(s)));
        }
        return out;
    }

    /** The values from least to most recently seen. */
    @SuppressWarnings("unchecked")
    List<V> values() {
        List<V> out = new ArrayList<>(size);
        for (int s = eldest; s != NONE; s = newer(s)) {
            out.add((V) value(s));
        }
        return out;
    }

    /**
     * Replaces the content with entries given least recently seen first (keys as {@link #key} makes
     * them), and the eviction count.
     */
    void restore(List<Map.Entry<String, V>> entries, long evictions) {
        if (entries.size() > capacity) {
            throw new IllegalArgumentException("more clients than the map holds");
        }
        clear();
        for (Map.Entry<String, V> e : entries) {
            String key = e.getKey();
            int h = key.hashCode();
            int slot = findKey(h, key);
            if (slot != NONE) {
                remove(slot); // a key given twice: the later place counts, as in a map
            }
            insert(h, null, null, key, e.getValue());
        }
        this.evictions = evictions;
    }

    int size() {
        return size;
    }

    int capacity() {
        return capacity;
    }

    long evictions() {
        return evictions;
    }

    private static final int MODEL = 0;
    private static final int CLIENT = 1;
    private static final int KEY = 2;
    private static final int VALUE = 3;
    private static final int OLDER = 0;
    private static final int NEWER = 1;
    private static final int HASH = 2;

    private String model(int s) {
        return (String) refs[4 * s + MODEL];
    }

    private String clientId(int s) {
        return (String) refs[4 * s + CLIENT];
    }

    private String storedKey(int s) {
        return (String) refs[4 * s + KEY];
    }

    private Object value(int s) {
        return refs[4 * s + VALUE];
    }

    private int older(int s) {
        return links[4 * s + OLDER];
    }

    private int newer(int s) {
        return links[4 * s + NEWER];
    }

    private void clear() {
        java.util.Arrays.fill(index, 0L);
        java.util.Arrays.fill(refs, null);
        for (int i = 0; i < capacity; i++) {
            free[i] = capacity - 1 - i; // slot 0 on top
        }
        freeCount = capacity;
        eldest = NONE;
        newest = NONE;
        size = 0;
    }

    private int find(int h, String model, String client) {
        for (int i = spread(h) & mask; ; i = (i + 1) & mask) {
            long e = index[i];
            if (e == 0) {
                return NONE;
            }
            if ((int) (e >>> 32) == h) {
                int s = (int) e - 1;
                if (sameKey(s, model, client)) {
                    return s;
                }
            }
        }
    }

    private int findKey(int h, String key) {
        for (int i = spread(h) & mask; ; i = (i + 1) & mask) {
            long e = index[i];
            if (e == 0) {
                return NONE;
            }
            int s = (int) e - 1;
            if ((int) (e >>> 32) == h && key.equals(keyAt(s))) {
                return s;
            }
        }
    }

    private String keyAt(int s) {
        String k = storedKey(s);
        if (k == null) {
            k = key(model(s), clientId(s));
            refs[4 * s + KEY] = k;
        }
        return k;
    }

    private boolean sameKey(int s, String model, String client) {
        String m = model(s);
        if (m != null) {
            return m.equals(model) && clientId(s).equals(client);
        }
        String k = storedKey(s); // restored: compare with the key, piece by piece
        if (lengthFirst(model)) {
            return k.equals(key(model, client));
        }
        int ml = model.length();
        return k.length() == ml + 1 + client.length()
                && k.startsWith(model)
                && k.charAt(ml) == '\u0000'
                && k.regionMatches(ml + 1, client, 0, client.length());
    }

    private static int spread(int h) {
        int x = h * 0x9e3779b9;
        return x ^ (x >>> 16);
    }

    private void insert(int h, String model, String client, String key, Object value) {
        int s = free[--freeCount];
        refs[4 * s + MODEL] = model;
        refs[4 * s + CLIENT] = client;
        refs[4 * s + KEY] = key;
        refs[4 * s + VALUE] = value;
        links[4 * s + HASH] = h;
        int i = spread(h) & mask;
        while (index[i] != 0) {
            i = (i + 1) & mask;
        }
        index[i] = ((long) h << 32) | (s + 1L);
        linkNewest(s);
        size++;
    }

    private void remove(int s) {
        // find the slot's index entry, then shift later entries of its cluster back (no tombstones)
        int i = spread(links[4 * s + HASH]) & mask;
        long mark = s + 1L;
        while ((index[i] & 0xffffffffL) != mark) {
            i = (i + 1) & mask;
        }
        int hole = i;
        for (int j = (hole + 1) & mask; index[j] != 0; j = (j + 1) & mask) {
            int home = spread((int) (index[j] >>> 32)) & mask;
            // the entry at j may move to the hole unless its home lies cyclically in (hole, j]
            boolean stays = hole <= j ? hole < home && home <= j : hole < home || home <= j;
            if (!stays) {
                index[hole] = index[j];
                hole = j;
            }
        }
        index[hole] = 0;
        unlink(s);
        refs[4 * s + MODEL] = null;
        refs[4 * s + CLIENT] = null;
        refs[4 * s + KEY] = null;
        refs[4 * s + VALUE] = null;
        free[freeCount++] = s;
        size--;
    }

    private void touch(int s) {
        if (s != newest) {
            unlink(s);
            linkNewest(s);
        }
    }

    private void linkNewest(int s) {
        links[4 * s + OLDER] = newest;
        links[4 * s + NEWER] = NONE;
        if (newest != NONE) {
            links[4 * newest + NEWER] = s;
        } else {
            eldest = s;
        }
        newest = s;
    }

    private void unlink(int s) {
        int o = older(s);
        int n = newer(s);
        if (o != NONE) {
            links[4 * o + NEWER] = n;
        } else {
            eldest = n;
        }
        if (n != NONE) {
            links[4 * n + OLDER] = o;
        } else {
            newest = o;
        }
    }
}
