package io.mlguard.collector.detect;

import java.util.Arrays;

/**
 * A bounded set of query fingerprints with exact nearest-neighbour search: PRADA's growing set of
 * one client and class, or a client's last few queries. Entries are stored flat beside their block
 * sums; a search settles most entries from their block sums alone (a lower bound of both the L1 and
 * the L2 distance) and never looks at more than the set's capacity, so the cost of a query is
 * bounded whatever the client sent before. Storage grows with use (2, 4, 8, ... entries), so the
 * many clients that send a handful of queries cost little.
 *
 * <p>That growth is the set's {@link #allocated()} count, which the extraction detector's memory
 * budget (and so its evictions) reads. The arrays behind it start at a size given by the owner, the
 * size most sets of their kind end at (a client's one query of a class: 1 entry; its recent
 * queries: 4), and then grow to the count: so the typical set is allocated once and never copied,
 * while the count, and everything that depends on it, is the same as if the arrays were the count.
 *
 * <p>Once full, a set either replaces its oldest entry ({@link Replacement#OLDEST}: a recency
 * window) or keeps a uniform sample of everything offered ({@link Replacement#RESERVOIR}: entry
 * {@code n} replaces a pseudo-random one with probability capacity/n, Vitter's algorithm R, drawn
 * from the entry's own hash so that a replay gives the same set).
 *
 * <p>Not thread-safe: the ingest thread owns it.
 */
final class NearestQuerySet {
    /** What happens to an entry offered to a full set. */
    enum Replacement {
        OLDEST,
        RESERVOIR
    }

    /** Cells of the longest fingerprint (the agent's 8 × 8 thumbnail). */
    static final int MAX_LENGTH = 64;

    /** Cells per block sum; eight blocks cover a 64-cell fingerprint. */
    static final int BLOCK = 8;

    static final int BLOCKS = MAX_LENGTH / BLOCK;

    /** {@link #nearest} found an entry within the near-duplicate limit. */
    static final long NEAR_DUPLICATE = -2;

    /** {@link #nearest} found nothing: the set is empty. */
    static final long EMPTY = -1;

    private static final int FIRST_ALLOCATION = 2;

    private final int capacity;
    private final Replacement replacement;
    private final int firstStorage; // entries of the arrays made on the first add
    private int allocated; // the growth rule's count: what the budget reads
    private byte[] cells = new byte[0];
    private short[] blocks = new short[0]; // at most 8 × 255 per block
    private int size;
    private int next; // OLDEST: the slot the next entry overwrites
    private long offered;

    NearestQuerySet(int capacity, Replacement replacement) {
        this(capacity, replacement, FIRST_ALLOCATION);
    }

    /**
     * @param firstStorage entries the arrays are made for on the first add (at least 1; at most the
     *     capacity is used); {@link #allocated()} does not depend on it
     */
    NearestQuerySet(int capacity, Replacement replacement, int firstStorage) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        if (firstStorage < 1) {
            throw new IllegalArgumentException("first storage must be positive: " + firstStorage);
        }
        this.capacity = capacity;
        this.replacement = replacement;
        this.firstStorage = Math.min(capacity, firstStorage);
    }

    /** A deep copy (a checkpoint's view of the set while the original goes on). */
    NearestQuerySet copy() {
        NearestQuerySet c = new NearestQuerySet(capacity, replacement, firstStorage);
        c.allocated = allocated;
        c.cells = cells.clone();
        c.blocks = blocks.clone();
        c.size = size;
        c.next = next;
        c.offered = offered;
        return c;
    }

    /**
     * Fills {@code out} (length {@link #BLOCKS}) with the block sums of the first {@code length}
     * cells of {@code f}; cells past the length count as 0, as they are stored.
     */
    static void blockSums(byte[] f, int length, int[] out) {
        for (int b = 0; b < BLOCKS; b++) {
            int sum = 0;
            for (int i = b * BLOCK, end = Math.min(length, i + BLOCK); i < end; i++) {
                sum += f[i] & 0xff;
            }
            out[b] = sum;
        }
    }

    /**
     * The smallest squared L2 distance from {@code f} to an entry, {@link #NEAR_DUPLICATE} as soon
     * as an entry is within {@code nearL1} in L1 distance, or {@link #EMPTY}. Exact: an entry is
     * skipped only when its block sums prove it is neither near nor nearer than the best so far.
     *
     * @param sums the block sums of {@code f} ({@link #blockSums})
     */
    long nearest(byte[] f, int length, int[] sums, int nearL1) {
        long best = EMPTY;
        for (int s = 0; s < size; s++) {
            int base = s * BLOCKS;
            long l1Bound = 0;
            long l2BoundTimesBlock = 0; // Cauchy–Schwarz per block: (Σd)² ≤ BLOCK · Σd²
            for (int b = 0; b < BLOCKS; b++) {
                int d = blocks[base + b] - sums[b];
                l1Bound += Math.abs(d);
                l2BoundTimesBlock += (long) d * d;
            }
            if (l1Bound > nearL1 && best >= 0 && l2BoundTimesBlock >= BLOCK * best) {
                continue;
            }
            int cell = s * MAX_LENGTH;
            long l1 = 0;
            long l2 = 0;
            for (int i = 0; i < length; i++) {
                int d = (cells[cell + i] & 0xff) - (f[i] & 0xff);
                l1 += Math.abs(d);
                l2 += (long) d * d;
            }
            if (l1 <= nearL1) {
                return NEAR_DUPLICATE;
            }
            if (best < 0 || l2 < best) {
                best = l2;
            }
        }
        return best;
    }

    /**
     * Offers {@code f} to the set: stored while there is room, then as the set's {@link
     * Replacement} says. {@code hash} identifies the fingerprint (it draws the reservoir's slot).
     */
    void add(byte[] f, int length, int[] sums, long hash) {
        offered++;
        int slot;
        if (size < capacity) {
            slot = size;
            ensureRoom(size + 1);
            size++;
        } else if (replacement == Replacement.OLDEST) {
            slot = next;
            next = (next + 1) % capacity;
        } else {
            long r = Long.remainderUnsigned(mix(hash ^ offered), offered);
            if (r >= capacity) {
                return;
            }
            slot = (int) r;
        }
        store(slot, f, length, sums);
    }

    private void store(int slot, byte[] f, int length, int[] sums) {
        int cell = slot * MAX_LENGTH;
        System.arraycopy(f, 0, cells, cell, length);
        Arrays.fill(cells, cell + length, cell + MAX_LENGTH, (byte) 0);
        for (int b = 0; b < BLOCKS; b++) {
            blocks[slot * BLOCKS + b] = (short) sums[b];
        }
    }

    private void ensureRoom(int entries) {
        if (entries > allocated) {
            allocated =
                    Math.min(
                            capacity, Math.max(entries, Math.max(FIRST_ALLOCATION, allocated * 2)));
        }
        int stored = blocks.length / BLOCKS;
        if (entries <= stored) {
            return;
        }
        // the first arrays at their typical size, later ones at the count (never beyond it unless
        // the first size is)
        int grown = stored == 0 ? Math.max(entries, firstStorage) : allocated;
        cells = Arrays.copyOf(cells, grown * MAX_LENGTH);
        blocks = Arrays.copyOf(blocks, grown * BLOCKS);
    }

    /** SplitMix64's finaliser: a well-spread pseudo-random number from any 64 bits. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** Entries held. */
    int size() {
        return size;
    }

    /** Entries offered so far (the reservoir's n). */
    long offered() {
        return offered;
    }

    /** Entries storage is allocated for: what the set costs in memory. */
    int allocated() {
        return allocated;
    }

    /** Entries the arrays have room for (tests: may differ from {@link #allocated()}). */
    int storage() {
        return blocks.length / BLOCKS;
    }

    /** Forgets every entry and frees the storage. */
    void clear() {
        cells = new byte[0];
        blocks = new short[0];
        allocated = 0;
        size = 0;
        next = 0;
        offered = 0;
    }

    /** The cells of entry {@code slot} (for checkpoints). */
    byte[] entry(int slot, int length) {
        return Arrays.copyOfRange(cells, slot * MAX_LENGTH, slot * MAX_LENGTH + length);
    }

    int next() {
        return next;
    }

    /** Refills a cleared set from a checkpoint: entries in slot order, then the counters. */
    void restore(byte[][] entries, int length, int nextSlot, long offeredCount) {
        if (entries.length > capacity
                || nextSlot < 0
                || nextSlot >= capacity
                || offeredCount < entries.length) {
            throw new IllegalArgumentException("query set state does not fit its set");
        }
        clear();
        ensureRoom(entries.length);
        // the budget's count as the set reached it, an entry at a time (2, 4, 8, ...), not the
        // entries: else the restored detector would count fewer and evict later than the live one
        int grown = 0;
        for (int e = 1; e <= entries.length; e++) {
            if (e > grown) {
                grown = Math.min(capacity, Math.max(e, Math.max(FIRST_ALLOCATION, grown * 2)));
            }
        }
        allocated = grown;
        int[] sums = new int[BLOCKS];
        for (int s = 0; s < entries.length; s++) {
            blockSums(entries[s], length, sums);
            store(s, entries[s], length, sums);
        }
        size = entries.length;
        next = nextSlot;
        offered = offeredCount;
    }
}
