package io.mlguard.collector.detect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;

/**
 * A model's last {@link #CAPACITY} query fingerprints, found again by locality-sensitive hashing
 * instead of a scan, so that a query costs the same whatever the history length. Each of {@link
 * #TABLES} tables keys a fingerprint by {@link LshKeys#COMPONENTS} quantised sums of random cells;
 * fingerprints within a small L1 distance share a key in at least one table with high probability
 * (see {@link LshKeys}). A bucket keeps its last {@link #BUCKET_SLOTS} entries; every candidate is
 * then checked exactly, so hashing decides what is compared, never what matches. A query that is a
 * near-duplicate of an entry joins it instead of taking a slot (see {@link EntryOwners}), and a
 * repeat takes none, so an attack's hundreds of queries take one entry and cannot flush the
 * buckets; varied traffic takes a slot per query.
 *
 * <p>Cost per query: {@code TABLES × BUCKET_SLOTS} candidate comparisons at most. Memory: fixed
 * arrays of about 4.1 MB per model, allocated once. Entries leave when the ring wraps (aged out) or
 * when a full bucket drops its oldest entry (counted as {@link #bucketEvictions()}).
 */
final class NearDuplicateIndex {
    static final int CAPACITY = 1 << 14;
    static final int TABLES = 8;
    static final int BUCKETS = 1 << 12;
    static final int BUCKET_SLOTS = 8;
    private static final int MASK = CAPACITY - 1;
    private static final int LEN = FingerprintRing.MAX_LENGTH;
    private static final int ALL_TABLES = (1 << TABLES) - 1;

    /** What one lookup found; reused, filled by {@link #scan}. */
    static final class Matches {
        int own;
        int others;
        int otherClients; // distinct, counted up to the array's length
        final int[] seenClients;
        boolean repeat;

        Matches(int distinctClientsWanted) {
            seenClients = new int[distinctClientsWanted];
        }

        void clear() {
            own = 0;
            others = 0;
            otherClients = 0;
            repeat = false;
        }

        void addClient(int owner) {
            for (int i = 0; i < otherClients; i++) {
                if (seenClients[i] == owner) {
                    return;
                }
            }
            if (otherClients < seenClients.length) {
                seenClients[otherClients++] = owner;
            }
        }
    }

    private final byte[] cells = new byte[CAPACITY * LEN];
    private final byte[] lengths = new byte[CAPACITY];
    private final int[] digests = new int[CAPACITY];
    private final EntryOwners owners = new EntryOwners(CAPACITY);
    private final int[] sequences = new int[CAPACITY]; // what a bucket entry must equal to be live
    private final int[] visited = new int[CAPACITY]; // the lookup that last compared the slot
    // per bucket slot, the entry (low 32 bits) and the two half sums of its cells (16 bits each,
    // see #halves): a lower bound of the L1 distance that turns most candidates away without
    // touching their slot's arrays, one cache line per bucket instead of one per candidate
    private final long[] buckets = new long[TABLES * BUCKETS * BUCKET_SLOTS];
    private final byte[] cursors = new byte[TABLES * BUCKETS];
    private final int[] keys = new int[TABLES];
    // per slot, the block sums and their total: lower bounds of the L1 distance that turn most
    // candidates away before their cells are read (see FingerprintRing#BLOCK)
    private final short[] blockSums = new short[CAPACITY * FingerprintRing.BLOCKS];
    private final int[] totals = new int[CAPACITY];
    private final int[] querySums = new int[FingerprintRing.BLOCKS + 1];
    private long touchedSum; // keeps the pre-reads of scan from being optimised away
    private int absorbInto = -1; // the slot the last scanned query joins, -1 for a new entry
    private long added;
    private long addedBefore; // fingerprints added before the last restore, not held any more
    private int lookup;
    private long bucketEvictions;

    /**
     * A deep copy of the entries, tables and counters (a checkpoint's view of the index while the
     * original goes on); the per-lookup scratch starts afresh, which changes no result. About 4 MB
     * of array copies: far less than serialising the index, which the committer does later.
     */
    NearDuplicateIndex copy() {
        return copyInto(new NearDuplicateIndex());
    }

    /**
     * Makes {@code c} a copy of this index (as {@link #copy()}, reusing its arrays); returns it.
     */
    NearDuplicateIndex copyInto(NearDuplicateIndex c) {
        System.arraycopy(cells, 0, c.cells, 0, cells.length);
        System.arraycopy(lengths, 0, c.lengths, 0, lengths.length);
        System.arraycopy(digests, 0, c.digests, 0, digests.length);
        c.owners.copyFrom(owners);
        System.arraycopy(sequences, 0, c.sequences, 0, sequences.length);
        System.arraycopy(buckets, 0, c.buckets, 0, buckets.length);
        System.arraycopy(cursors, 0, c.cursors, 0, cursors.length);
        System.arraycopy(blockSums, 0, c.blockSums, 0, blockSums.length);
        System.arraycopy(totals, 0, c.totals, 0, totals.length);
        c.added = added;
        c.addedBefore = addedBefore;
        c.bucketEvictions = bucketEvictions;
        c.absorbInto = -1;
        return c;
    }

    /**
     * Compares f with the live candidates sharing one of its keys: near-duplicates within {@code
     * limit} (L1) are counted as the owner's own or other clients'. An identical fingerprint with
     * the same content digest is a repeat, not a near-duplicate (digest 0: unknown, so an identical
     * fingerprint is taken for a repeat).
     */
    void scan(byte[] f, int length, int digest, int owner, int limit, Matches out) {
        out.clear();
        absorbInto = -1;
        int newest = 0;
        LshKeys.keys(f, length, keys);
        FingerprintRing.blockSums(f, length, querySums);
        int queryHalves = halves(querySums, 0);
        int queryLow = queryHalves & 0xffff;
        int queryHigh = queryHalves >>> 16;
        if (++lookup == 0) {
            Arrays.fill(visited, 0);
            lookup = 1;
        }
        // The eight buckets are far apart in 2 MB: read the first and last word of each first
        // (a bucket's 64 bytes straddle two cache lines after the array header), loads that do not
        // wait on one another, so their cache misses overlap instead of one per table in turn
        long touched = 0;
        for (int t = 0; t < TABLES; t++) {
            int base = (t * BUCKETS + keys[t]) * BUCKET_SLOTS;
            touched += buckets[base] + buckets[base + BUCKET_SLOTS - 1];
        }
        touchedSum = touched;
        for (int t = 0; t < TABLES; t++) {
            int base = (t * BUCKETS + keys[t]) * BUCKET_SLOTS;
            for (int i = 0; i < BUCKET_SLOTS; i++) {
                long packed = buckets[base + i];
                int entry = (int) packed;
                if (entry == 0) {
                    continue;
                }
                int tag = (int) (packed >>> 32);
                // the half sums are those of the entry this bucket slot was given: if the slot
                // holds another entry since, the sequence test below would turn it away anyway
                if (Math.abs((tag & 0xffff) - queryLow) + Math.abs((tag >>> 16) - queryHigh)
                        > limit) {
                    continue;
                }
                int slot = entry & MASK;
                if (sequences[slot] != entry || visited[slot] == lookup) {
                    continue;
                }
                visited[slot] = lookup;
                if (surelyFarther(slot, limit)) {
                    continue;
                }
                int d = l1(slot, f, length, limit);
                if (d > limit) {
                    continue;
                }
                if (d == 0 && InputDigest.same(digests[slot], digest)) {
                    out.repeat = true; // a retry, or a popular input sent by many: no evidence
                    continue;
                }
                int mine = owners.weightOf(slot, owner);
                out.own += mine;
                out.others += owners.total(slot) - mine;
                owners.addOtherClients(slot, owner, out);
                int age = (int) added - entry; // newest first: an order a restore keeps
                if (absorbInto < 0 || age < newest) {
                    absorbInto = slot;
                    newest = age;
                }
            }
        }
    }

    /**
     * Records the query of the last {@link #scan}, unless it was a repeat: when it was a
     * near-duplicate of an entry, the newest such entry now stands for one more query (of this
     * owner), which keeps an attack's hundreds of near-identical queries, from one id or many, from
     * filling the buckets; otherwise it becomes a new entry under the scanned keys.
     */
    void addScanned(byte[] f, int length, int digest, int owner, Matches scanned) {
        if (scanned.repeat) {
            return;
        }
        if (absorbInto >= 0) {
            owners.join(absorbInto, owner);
            return;
        }
        insert(f, length, digest, owner, ALL_TABLES);
    }

    private void insert(byte[] f, int length, int digest, int owner, int tables) {
        int entry = (int) ++added;
        if (entry == 0) {
            entry = (int) ++added; // 0 marks an empty bucket slot
        }
        int slot = entry & MASK;
        System.arraycopy(f, 0, cells, slot * LEN, length);
        lengths[slot] = (byte) length;
        digests[slot] = digest;
        owners.start(slot, owner);
        sequences[slot] = entry;
        FingerprintRing.blockSums(f, length, querySums);
        for (int b = 0; b < FingerprintRing.BLOCKS; b++) {
            blockSums[slot * FingerprintRing.BLOCKS + b] = (short) querySums[b];
        }
        totals[slot] = querySums[FingerprintRing.BLOCKS];
        insertInto(slot, tables);
    }

    /** Puts the slot's entry into the buckets of its keys in the given tables. */
    private void insertInto(int slot, int tables) {
        long packed =
                (sequences[slot] & 0xffffffffL)
                        | ((long) halves(blockSums, slot * FingerprintRing.BLOCKS) << 32);
        for (int t = 0; t < TABLES; t++) {
            if ((tables & (1 << t)) == 0) {
                continue;
            }
            int b = t * BUCKETS + keys[t];
            int i = cursors[b];
            int old = (int) buckets[b * BUCKET_SLOTS + i];
            if (old != 0 && sequences[old & MASK] == old) {
                bucketEvictions++;
            }
            buckets[b * BUCKET_SLOTS + i] = packed;
            cursors[b] = (byte) ((i + 1) % BUCKET_SLOTS);
        }
    }

    /** Adds f as a new entry standing for one query of {@code owner} (tests). */
    void add(byte[] f, int length, int digest, int owner) {
        LshKeys.keys(f, length, keys);
        insert(f, length, digest, owner, ALL_TABLES);
    }

    /**
     * The sums of the first and of the second half of the blocks at {@code from} (cells 0-31 and
     * 32-63, at most 8160 each), low and high 16 bits: |low - low'| + |high - high'| is at most the
     * L1 distance, and at most the block bound of {@link #surelyFarther}, so what it turns away
     * that test would have turned away too.
     */
    private static int halves(short[] sums, int from) {
        int low = 0;
        int high = 0;
        for (int b = 0; b < FingerprintRing.BLOCKS / 2; b++) {
            low += sums[from + b];
            high += sums[from + FingerprintRing.BLOCKS / 2 + b];
        }
        return low | high << 16;
    }

    private static int halves(int[] sums, int from) {
        int low = 0;
        int high = 0;
        for (int b = 0; b < FingerprintRing.BLOCKS / 2; b++) {
            low += sums[from + b];
            high += sums[from + FingerprintRing.BLOCKS / 2 + b];
        }
        return low | high << 16;
    }

    private boolean surelyFarther(int slot, int limit) {
        if (Math.abs(totals[slot] - querySums[FingerprintRing.BLOCKS]) > limit) {
            return true;
        }
        int lb = 0;
        for (int b = 0, base = slot * FingerprintRing.BLOCKS; b < FingerprintRing.BLOCKS; b++) {
            lb += Math.abs(blockSums[base + b] - querySums[b]);
        }
        return lb > limit;
    }

    private int l1(int slot, byte[] f, int length, int limit) {
        if (lengths[slot] != length) {
            return Integer.MAX_VALUE;
        }
        int base = slot * LEN;
        int sum = 0;
        // The sum only grows, so testing it once per 16 cells stops where testing every cell
        // would, give or take a block, with the same answer; a loop without a test per cell is
        // the one the JIT unrolls and vectorises.
        for (int from = 0; from < length; from += 16) {
            for (int i = from, end = Math.min(length, from + 16); i < end; i++) {
                sum += Math.abs((cells[base + i] & 0xff) - (f[i] & 0xff));
            }
            if (sum > limit) {
                return Integer.MAX_VALUE;
            }
        }
        return sum;
    }

    /** Fingerprints added so far, restarts included. */
    long added() {
        return addedBefore + added;
    }

    /** Live entries a full bucket dropped before the ring aged them out. */
    long bucketEvictions() {
        return bucketEvictions;
    }

    /** Fingerprints held (at most {@link #CAPACITY}). */
    int size() {
        return (int) Math.min(added, CAPACITY);
    }

    /**
     * The held fingerprints oldest first, one base64 string of {@code [length][cells][digest
     * (4)][owners (see EntryOwners)][tables still holding it (1, a bit each)]} each; the tables are
     * rebuilt on restore by adding them again in order, which gives the same buckets minus
     * evictions already counted.
     */
    ObjectNode saveState() {
        ObjectNode n = DetectorStateJson.MAPPER.createObjectNode();
        n.put("added", added());
        n.put("bucketEvictions", bucketEvictions);
        int count = size();
        long first = added - count;
        byte[] tables = tablesHolding();
        int bytes = 0;
        for (long s = first + 1; s <= added; s++) {
            bytes += live(s) ? 6 + EntryOwners.BYTES + lengths[(int) s & MASK] : 0;
        }
        ByteBuffer b = ByteBuffer.allocate(bytes);
        for (long s = first + 1; s <= added; s++) {
            int slot = (int) s & MASK;
            if (!live(s)) {
                continue; // the one number skipped because it wrapped to 0
            }
            b.put(lengths[slot]);
            b.put(cells, slot * LEN, lengths[slot]);
            b.putInt(digests[slot]);
            owners.write(slot, b);
            b.put(tables[slot]);
        }
        n.put("data", Base64.getEncoder().encodeToString(b.array()));
        return n;
    }

    /**
     * Which tables still hold each slot's entry. Adding the held entries again in order into those
     * tables only gives buckets that behave exactly as before: a bucket keeps entries in order of
     * arrival and drops its oldest, so the entries it lost to age were older than all it holds.
     */
    private byte[] tablesHolding() {
        byte[] out = new byte[CAPACITY];
        for (int t = 0; t < TABLES; t++) {
            for (int i = t * BUCKETS * BUCKET_SLOTS, end = i + BUCKETS * BUCKET_SLOTS;
                    i < end;
                    i++) {
                int entry = (int) buckets[i];
                if (entry != 0 && sequences[entry & MASK] == entry) {
                    out[entry & MASK] |= (byte) (1 << t);
                }
            }
        }
        return out;
    }

    private boolean live(long s) {
        return sequences[(int) s & MASK] == (int) s && (int) s != 0;
    }

    /** Restores what {@link #saveState()} wrote. */
    void restoreState(JsonNode n) {
        long total = n.path("added").asLong();
        if (total < 0) {
            throw new IllegalArgumentException("negative fingerprint count");
        }
        ByteBuffer b = ByteBuffer.wrap(Base64.getDecoder().decode(n.path("data").asText()));
        byte[] f = new byte[LEN];
        long held = 0;
        clear();
        try {
            while (b.hasRemaining()) {
                int len = b.get() & 0xff;
                if (len > LEN) {
                    throw new IllegalArgumentException("fingerprint longer than " + LEN);
                }
                b.get(f, 0, len);
                int digest = b.getInt();
                LshKeys.keys(f, len, keys);
                insert(f, len, digest, 0, 0); // in no table yet: the owners are read first
                int slot = (int) added & MASK; // restored entries are 1..held: no wrap
                owners.read(slot, b);
                insertInto(slot, b.get() & 0xff);
                held++;
            }
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("fingerprint index state is truncated", e);
        }
        absorbInto = -1;
        if (held > CAPACITY || held > total) {
            throw new IllegalArgumentException("fingerprint index state does not fit its index");
        }
        addedBefore = total - held; // entries are renumbered from 1; the total carries on
        bucketEvictions = n.path("bucketEvictions").asLong();
    }

    private void clear() {
        added = 0;
        addedBefore = 0;
        bucketEvictions = 0;
        Arrays.fill(buckets, 0);
        Arrays.fill(cursors, (byte) 0);
        Arrays.fill(sequences, 0);
    }
}
