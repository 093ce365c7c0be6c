package io.mlguard.collector.detect;

import java.util.Arrays;

/**
 * The last {@code capacity} query fingerprints of a client (or of everyone), stored flat in one
 * byte array with their hashes, so that comparing a new query costs at most {@code capacity}
 * fingerprint comparisons whatever the traffic. Fingerprints are the agent's quantised thumbnails
 * (64 bytes, 0..255 per cell).
 */
final class FingerprintRing {
    static final int MAX_LENGTH = 64;

    private final byte[] cells;
    private final int[] lengths;
    private final long[] hashes;
    private final int[] owners;
    private int size;
    private int next;

    FingerprintRing(int capacity) {
        this.cells = new byte[capacity * MAX_LENGTH];
        this.lengths = new int[capacity];
        this.hashes = new long[capacity];
        this.owners = new int[capacity];
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
        next = (next + 1) % lengths.length;
        size = Math.min(size + 1, lengths.length);
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
        for (int i = 0; i < length; i++) {
            sum += Math.abs((cells[base + i] & 0xff) - (f[i] & 0xff));
            if (sum > limit) {
                return Integer.MAX_VALUE;
            }
        }
        return sum;
    }

    /** The Euclidean distance between slot and f ({@code +inf} when the lengths differ). */
    double l2At(int slot, byte[] f, int length) {
        if (lengths[slot] != length) {
            return Double.POSITIVE_INFINITY;
        }
        int base = slot * MAX_LENGTH;
        long sum = 0;
        for (int i = 0; i < length; i++) {
            int d = (cells[base + i] & 0xff) - (f[i] & 0xff);
            sum += (long) d * d;
        }
        return Math.sqrt(sum);
    }
}
