package io.mlguard.collector.detect;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Who sent the queries each {@link NearDuplicateIndex} entry stands for: its total weight and the
 * weights of its first {@link #LISTED} clients (owner hashes); later clients count in the total
 * only. Enough to split an entry's queries into a client's own and everyone else's, and to see that
 * at least {@code LISTED - 1} other clients took part.
 */
final class EntryOwners {
    static final int LISTED = 4;
    static final int MAX_WEIGHT = 1 << 20;

    // Per slot, side by side, since a lookup reads them together right after the slot's cells:
    // the total, then LISTED (owner, weight) pairs. One array keeps a slot on one or two cache
    // lines, where three arrays cost three misses (JFR: weightOf was 12% of the ingest thread).
    private static final int STRIDE = 1 + 2 * LISTED;
    private final int[] slots;

    EntryOwners(int capacity) {
        slots = new int[capacity * STRIDE];
    }

    /** Makes this hold exactly what {@code o} holds (same capacity). */
    void copyFrom(EntryOwners o) {
        System.arraycopy(o.slots, 0, slots, 0, slots.length);
    }

    /** The slot now stands for one query of {@code owner}. */
    void start(int slot, int owner) {
        int base = slot * STRIDE;
        Arrays.fill(slots, base, base + STRIDE, 0);
        slots[base] = 1;
        slots[base + 1] = owner;
        slots[base + 2] = 1;
    }

    /** One more query of {@code owner} joins the slot. */
    void join(int slot, int owner) {
        int base = slot * STRIDE;
        slots[base] = Math.min(MAX_WEIGHT, slots[base] + 1);
        for (int i = base + 1, end = base + STRIDE; i < end; i += 2) {
            if (slots[i + 1] == 0 || slots[i] == owner) {
                slots[i] = owner;
                slots[i + 1] = Math.min(MAX_WEIGHT, slots[i + 1] + 1);
                return;
            }
        }
    }

    int total(int slot) {
        return slots[slot * STRIDE];
    }

    /** The queries of {@code owner} in the slot (0 when not listed). */
    int weightOf(int slot, int owner) {
        int base = slot * STRIDE;
        for (int i = base + 1, end = base + STRIDE; i < end && slots[i + 1] > 0; i += 2) {
            if (slots[i] == owner) {
                return slots[i + 1];
            }
        }
        return 0;
    }

    /** Adds the listed clients other than {@code owner} to {@code out}'s distinct clients. */
    void addOtherClients(int slot, int owner, NearDuplicateIndex.Matches out) {
        int base = slot * STRIDE;
        for (int i = base + 1, end = base + STRIDE; i < end && slots[i + 1] > 0; i += 2) {
            if (slots[i] != owner) {
                out.addClient(slots[i]);
            }
        }
    }

    /** Writes the slot: total, then the listed owners and weights (4 bytes each). */
    void write(int slot, ByteBuffer b) {
        for (int i = slot * STRIDE, end = i + STRIDE; i < end; i++) {
            b.putInt(slots[i]);
        }
    }

    static final int BYTES = 4 + 8 * LISTED;

    /** Reads what {@link #write} wrote into the slot, checking the weights. */
    void read(int slot, ByteBuffer b) {
        int total = b.getInt();
        int base = slot * STRIDE;
        long listed = 0;
        int[] pairs = new int[2 * LISTED];
        for (int i = 0; i < pairs.length; i += 2) {
            pairs[i] = b.getInt();
            pairs[i + 1] = b.getInt();
            if (pairs[i + 1] < 0 || pairs[i + 1] > MAX_WEIGHT) {
                throw new IllegalArgumentException(
                        "fingerprint weight out of range: " + pairs[i + 1]);
            }
            listed += pairs[i + 1];
        }
        System.arraycopy(pairs, 0, slots, base + 1, pairs.length);
        if (total < 1 || total > MAX_WEIGHT || listed > total || pairs[1] < 1) {
            throw new IllegalArgumentException("fingerprint entry weights do not add up");
        }
        slots[base] = total;
    }
}
