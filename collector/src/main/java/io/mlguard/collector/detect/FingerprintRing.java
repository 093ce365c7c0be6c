package io.mlguard.collector.detect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;

/**
 * The last {@code capacity} query fingerprints of a client (or of everyone), stored flat in one
 * byte array with their hashes, so that comparing a new query costs at most {@code capacity}
 * fingerprint comparisons whatever the traffic. Fingerprints are the agent's quantised thumbnails
 * (64 bytes, 0..255 per cell).
 */
final class FingerprintRing {
    static final int MAX_LENGTH = 64;

    /**
     * Cells per block of the block sums kept beside each fingerprint. The L1 distance is at least
     * the sum over blocks of the differences of the block sums, so most far pairs are told apart
     * from eight numbers instead of sixty-four cells, and the exact distance is computed only for
     * the few pairs that pass.
     */
    static final int BLOCK = 8;

    static final int BLOCKS = MAX_LENGTH / BLOCK;

    private final byte[] cells;
    private final int[] lengths;
    private final long[] hashes;
    private final int[] owners;
    private final int[] blockSums;
    private final int[] totals; // sum of each slot's cells: the coarsest bound, scanned first
    private int size;
    private int next;

    FingerprintRing(int capacity) {
        this.cells = new byte[capacity * MAX_LENGTH];
        this.lengths = new int[capacity];
        this.hashes = new long[capacity];
        this.owners = new int[capacity];
        this.blockSums = new int[capacity * BLOCKS];
        this.totals = new int[capacity];
    }

    private FingerprintRing(FingerprintRing o) {
        this.cells = o.cells.clone();
        this.lengths = o.lengths.clone();
        this.hashes = o.hashes.clone();
        this.owners = o.owners.clone();
        this.blockSums = o.blockSums.clone();
        this.totals = o.totals.clone();
        this.size = o.size;
        this.next = o.next;
    }

    /** A deep copy (a checkpoint's view of the ring while the original goes on). */
    FingerprintRing copy() {
        return new FingerprintRing(this);
    }

    /** Forgets every fingerprint, keeping the arrays (a recycled client's ring). */
    void clear() {
        size = 0;
        next = 0;
    }

    /**
     * Fills {@code out} (length {@link #BLOCKS} + 1) with the block sums of {@code f}, then their
     * total.
     */
    static void blockSums(byte[] f, int length, int[] out) {
        int n = Math.min(length, MAX_LENGTH);
        int total = 0;
        for (int b = 0; b < BLOCKS; b++) {
            int sum = 0;
            for (int i = b * BLOCK, end = Math.min(n, i + BLOCK); i < end; i++) {
                sum += f[i] & 0xff;
            }
            out[b] = sum;
            total += sum;
        }
        out[BLOCKS] = total;
    }

    private void storeBlockSums(int slot) {
        int base = slot * MAX_LENGTH;
        int n = lengths[slot];
        int total = 0;
        for (int b = 0; b < BLOCKS; b++) {
            int sum = 0;
            for (int i = b * BLOCK, end = Math.min(n, i + BLOCK); i < end; i++) {
                sum += cells[base + i] & 0xff;
            }
            blockSums[slot * BLOCKS + b] = sum;
            total += sum;
        }
        totals[slot] = total;
    }

    /**
     * A lower bound of the L1 distance between slot and the fingerprint whose {@link #blockSums}
     * are {@code query}: {@code |sum(a) - sum(b)| <= sum|a - b|} over each block.
     */
    int l1LowerBound(int slot, int[] query) {
        int base = slot * BLOCKS;
        int lb = 0;
        for (int b = 0; b < BLOCKS; b++) {
            lb += Math.abs(blockSums[base + b] - query[b]);
        }
        return lb;
    }

    /**
     * Whether slot is surely farther than {@code limit} (L1) from the fingerprint with these block
     * sums: first from the totals (one number), then from the blocks. {@code false} says nothing.
     */
    boolean surelyFarther(int slot, int[] query, int limit) {
        return Math.abs(totals[slot] - query[BLOCKS]) > limit || l1LowerBound(slot, query) > limit;
    }

    /**
     * A lower bound of {@link #BLOCK} times the squared L2 distance between slot and the
     * fingerprint with these block sums (Cauchy–Schwarz on each block of at most BLOCK cells).
     */
    long l2SquaredLowerBoundTimesBlock(int slot, int[] query) {
        int base = slot * BLOCKS;
        long lb = 0;
        for (int b = 0; b < BLOCKS; b++) {
            long d = blockSums[base + b] - query[b];
            lb += d * d;
        }
        return lb;
    }

    /** FNV-1a of the bytes: equal fingerprints have equal hashes. */
    static long hash(byte[] f, int length) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < length; i++) {
            h = (h ^ (f[i] & 0xff)) * 0x100000001b3L;
        }
        return h ^ length;
    }

    void add(byte[] f, int length, long hash, int owner) {
        int n = Math.min(length, MAX_LENGTH);
        System.arraycopy(f, 0, cells, next * MAX_LENGTH, n);
        lengths[next] = n;
        hashes[next] = hash;
        owners[next] = owner;
        storeBlockSums(next);
        next = (next + 1) % lengths.length;
        size = Math.min(size + 1, lengths.length);
    }

    /**
     * As {@link #add(byte[], int, long, int)}, with the block sums of f already at hand ({@code
     * sums}, as {@link #blockSums} gives them): no second pass over the cells.
     */
    void add(byte[] f, int length, long hash, int owner, int[] sums) {
        int n = Math.min(length, MAX_LENGTH);
        System.arraycopy(f, 0, cells, next * MAX_LENGTH, n);
        lengths[next] = n;
        hashes[next] = hash;
        owners[next] = owner;
        System.arraycopy(sums, 0, blockSums, next * BLOCKS, BLOCKS);
        totals[next] = sums[BLOCKS];
        next = (next + 1) % lengths.length;
        size = Math.min(size + 1, lengths.length);
    }

    /**
     * The filled slots in slot order and the next slot. Compact, because a collector saves up to
     * thousands of rings per commit: one base64 string of {@code [length][cells][owner (4 bytes)]}
     * per slot. Hashes and block sums are recomputed on restore.
     */
    ObjectNode saveState() {
        ObjectNode n = DetectorStateJson.MAPPER.createObjectNode();
        n.put("next", next);
        n.put("size", size);
        int bytes = 0;
        for (int s = 0; s < size; s++) {
            bytes += 5 + lengths[s];
        }
        ByteBuffer b = ByteBuffer.allocate(bytes);
        for (int s = 0; s < size; s++) {
            b.put((byte) lengths[s]);
            b.put(cells, s * MAX_LENGTH, lengths[s]);
            b.putInt(owners[s]);
        }
        n.put("data", Base64.getEncoder().encodeToString(b.array()));
        return n;
    }

    void restoreState(JsonNode n) {
        if (n.has("slots")) {
            restoreSlots(n); // the older, one-array-per-slot form
            return;
        }
        int nx = n.path("next").asInt();
        int sz = n.path("size").asInt();
        if (sz < 0 || sz > lengths.length || nx < 0 || nx >= lengths.length) {
            throw new IllegalArgumentException("fingerprint ring state does not fit its ring");
        }
        ByteBuffer b;
        try {
            b = ByteBuffer.wrap(Base64.getDecoder().decode(n.path("data").asText()));
            for (int s = 0; s < sz; s++) {
                int len = b.get() & 0xff;
                if (len > MAX_LENGTH) {
                    throw new IllegalArgumentException("fingerprint longer than " + MAX_LENGTH);
                }
                b.get(cells, s * MAX_LENGTH, len);
                lengths[s] = len;
                owners[s] = b.getInt();
                hashes[s] =
                        hash(Arrays.copyOfRange(cells, s * MAX_LENGTH, s * MAX_LENGTH + len), len);
                storeBlockSums(s);
            }
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("fingerprint ring state is truncated", e);
        }
        if (b.hasRemaining()) {
            throw new IllegalArgumentException("fingerprint ring state has trailing bytes");
        }
        size = sz;
        next = nx;
    }

    private void restoreSlots(JsonNode n) {
        JsonNode slots = n.path("slots");
        int nx = n.path("next").asInt();
        if (slots.size() > lengths.length || nx < 0 || nx >= lengths.length) {
            throw new IllegalArgumentException("fingerprint ring state does not fit its ring");
        }
        for (int s = 0; s < slots.size(); s++) {
            byte[] f = Base64.getDecoder().decode(slots.get(s).path(0).asText());
            if (f.length > MAX_LENGTH) {
                throw new IllegalArgumentException("fingerprint longer than " + MAX_LENGTH);
            }
            System.arraycopy(f, 0, cells, s * MAX_LENGTH, f.length);
            lengths[s] = f.length;
            hashes[s] = slots.get(s).path(1).asLong();
            owners[s] = slots.get(s).path(2).asInt();
            storeBlockSums(s);
        }
        size = slots.size();
        next = nx;
    }

    int size() {
        return size;
    }

    long hashAt(int slot) {
        return hashes[slot];
    }

    int ownerAt(int slot) {
        return owners[slot];
    }

    /** The slot of the {@code k}-th newest fingerprint ({@code 0}: the newest), k below size. */
    int newest(int k) {
        return Math.floorMod(next - 1 - k, lengths.length);
    }

    /**
     * The cells of slot and f that did not change, allowing for a uniform shift: how many cells
     * differ from the modal difference by at most {@code tolerance}, leaving out cells at most
     * {@code blank} in both (blank background, common to any two digits, with or without sensor
     * noise); 0 when the lengths differ. A query that rewrites a window of its input (the Square
     * attack's random squares) moves only the cells under the window, plus, through the
     * fingerprint's per-row quantisation, a common shift of the rest. {@code histogram} is 511
     * zeros, scratch, left as zeros.
     */
    int unchangedAt(int slot, byte[] f, int length, int tolerance, int blank, int[] histogram) {
        if (lengths[slot] != length) {
            return 0;
        }
        int base = slot * MAX_LENGTH;
        int mode = modeOfDifferences(base, f, length, histogram);
        int unchanged = 0;
        for (int i = 0; i < length; i++) {
            int a = f[i] & 0xff;
            int b = cells[base + i] & 0xff;
            histogram[a - b + 255] = 0;
            if ((a > blank || b > blank) && Math.abs(a - b - mode) <= tolerance) {
                unchanged++;
            }
        }
        return unchanged;
    }

    /**
     * The modal difference f - slot, cell by cell: the uniform shift that the fingerprint's per-row
     * quantisation adds when a window changes the row's range. Leaves {@code histogram} filled; the
     * caller zeroes it.
     */
    private int modeOfDifferences(int base, byte[] f, int length, int[] histogram) {
        int mode = 0;
        int modeCount = 0;
        for (int i = 0; i < length; i++) {
            int d = (f[i] & 0xff) - (cells[base + i] & 0xff) + 255;
            int c = ++histogram[d];
            if (c > modeCount) {
                modeCount = c;
                mode = d - 255;
            }
        }
        return mode;
    }

    /**
     * The modal difference between f and slot's fingerprint (see {@link #unchangedAt}), 0 when the
     * lengths differ. {@code histogram} is 511 zeros, scratch, left as zeros.
     */
    int modalShiftAt(int slot, byte[] f, int length, int[] histogram) {
        if (lengths[slot] != length) {
            return 0;
        }
        int base = slot * MAX_LENGTH;
        int mode = modeOfDifferences(base, f, length, histogram);
        for (int i = 0; i < length; i++) {
            histogram[(f[i] & 0xff) - (cells[base + i] & 0xff) + 255] = 0;
        }
        return mode;
    }

    /**
     * Whether f rewrote one window of slot's fingerprint, in one pass over the cells moved by more
     * than {@code threshold} (of 255) beyond the uniform {@code shift} (the quantisation's, {@link
     * #modalShiftAt}): at least {@code minCells} of them; filling at least {@code densityPercent} %
     * of the smallest axis-aligned box holding them, with the fingerprint read as a square grid (a
     * fingerprint that is no square grid counts as a box of its whole length); and at most one in
     * {@code againstOneIn} moving against the others. A window an attack sets to one value moves
     * packed cells one way; sensor noise spreads a few far-moved cells over most of the image, and
     * two different images move strokes both ways.
     */
    boolean rewrittenWindowAt(
            int slot,
            byte[] f,
            int length,
            int shift,
            int threshold,
            int minCells,
            int densityPercent,
            int againstOneIn) {
        if (lengths[slot] != length) {
            return false;
        }
        int side = (int) Math.round(Math.sqrt(length));
        boolean grid = side * side == length;
        int base = slot * MAX_LENGTH;
        int up = 0;
        int down = 0;
        int top = Integer.MAX_VALUE;
        int bottom = -1;
        int left = Integer.MAX_VALUE;
        int right = -1;
        for (int i = 0; i < length; i++) {
            int d = (f[i] & 0xff) - (cells[base + i] & 0xff) - shift;
            if (d > threshold) {
                up++;
            } else if (d < -threshold) {
                down++;
            } else {
                continue;
            }
            if (grid) {
                int row = i / side;
                int col = i % side;
                top = Math.min(top, row);
                bottom = Math.max(bottom, row);
                left = Math.min(left, col);
                right = Math.max(right, col);
            }
        }
        int moved = up + down;
        long box = grid ? (long) (bottom - top + 1) * (right - left + 1) : length;
        return moved >= minCells
                && moved * 100L >= densityPercent * box
                && (long) Math.min(up, down) * againstOneIn <= moved;
    }

    /** Whether slot holds exactly these bytes. */
    boolean equalsAt(int slot, byte[] f, int length) {
        if (lengths[slot] != length) {
            return false;
        }
        int base = slot * MAX_LENGTH;
        return Arrays.equals(cells, base, base + length, f, 0, length);
    }

    /**
     * The L1 distance between slot and f, or {@code Integer.MAX_VALUE} once it passes {@code limit}
     * (most pairs are far apart, so this stops early) or the lengths differ.
     */
    int l1At(int slot, byte[] f, int length, int limit) {
        if (lengths[slot] != length) {
            return Integer.MAX_VALUE;
        }
        int base = slot * MAX_LENGTH;
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

    /** The Euclidean distance between slot and f ({@code +inf} when the lengths differ). */
    double l2At(int slot, byte[] f, int length) {
        long sq = l2SquaredAt(slot, f, length);
        return sq < 0 ? Double.POSITIVE_INFINITY : Math.sqrt(sq);
    }

    /** The squared Euclidean distance between slot and f, or -1 when the lengths differ. */
    long l2SquaredAt(int slot, byte[] f, int length) {
        if (lengths[slot] != length) {
            return -1;
        }
        int base = slot * MAX_LENGTH;
        long sum = 0;
        for (int i = 0; i < length; i++) {
            int d = (cells[base + i] & 0xff) - (f[i] & 0xff);
            sum += (long) d * d;
        }
        return sum;
    }
}
