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

    private final int[] totals;
    private final int[] owners;
    private final int[] weights;

    EntryOwners(int capacity) {
        totals = new int[capacity];
        owners = new int[capacity * LISTED];
        weights = new int[capacity * LISTED];
    }

    /** Makes this hold exactly what {@code o} holds (same capacity). */
    void copyFrom(EntryOwners o) {
        System.arraycopy(o.totals, 0, totals, 0, totals.length);
        System.arraycopy(o.owners, 0, owners, 0, owners.length);
        System.arraycopy(o.weights, 0, weights, 0, weights.length);
    }

    /** The slot now stands for one query of {@code owner}. */
    void start(int slot, int owner) {
        Arrays.fill(weights, slot * LISTED, (slot + 1) * LISTED, 0);
        totals[slot] = 1;
        owners[slot * LISTED] = owner;
        weights[slot * LISTED] = 1;
    }

    /** One more query of {@code owner} joins the slot. */
    void join(int slot, int owner) {
        totals[slot] = Math.min(MAX_WEIGHT, totals[slot] + 1);
        for (int i = slot * LISTED, end = i + LISTED; i < end; i++) {
            if (weights[i] == 0 || owners[i] == owner) {
                owners[i] = owner;
                weights[i] = Math.min(MAX_WEIGHT, weights[i] + 1);
                return;
            }
        }
    }

    int total(int slot) {
        return totals[slot];
    }

    /** The queries of {@code owner} in the slot (0 when not listed). */
    int weightOf(int slot, int owner) {
        for (int i = slot * LISTED, end = i + LISTED; i < end && weights[i] > 0; i++) {
            if (owners[i] == owner) {
                return weights[i];
            }
        }
        return 0;
    }

    /** Adds the listed clients other than {@code owner} to {@code out}'s distinct clients. */
    void addOtherClients(int slot, int owner, NearDuplicateIndex.Matches out) {
        for (int i = slot * LISTED, end = i + LISTED; i < end && weights[i] > 0; i++) {
            if (owners[i] != owner) {
                out.addClient(owners[i]);
            }
        }
    }

    /** Writes the slot: total, then the listed owners and weights (4 bytes each). */
    void write(int slot, ByteBuffer b) {
        b.putInt(totals[slot]);
        for (int i = slot * LISTED, end = i + LISTED; i < end; i++) {
            b.putInt(owners[i]).putInt(weights[i]);
        }
    }

    static final int BYTES = 4 + 8 * LISTED;

    /** Reads what {@link #write} wrote into the slot, checking the weights. */
    void read(int slot, ByteBuffer b) {
        int total = b.getInt();
        long listed = 0;
        for (int i = slot * LISTED, end = i + LISTED; i < end; i++) {
            owners[i] = b.getInt();
            weights[i] = b.getInt();
            if (weights[i] < 0 || weights[i] > MAX_WEIGHT) {
                throw new IllegalArgumentException(
                        "fingerprint weight out of range: " + weights[i]);
            }
            listed += weights[i];
        }
        if (total < 1 || total > MAX_WEIGHT || listed > total || weights[slot * LISTED] < 1) {
            throw new IllegalArgumentException("fingerprint entry weights do not add up");
        }
        totals[slot] = total;
    }
}
