package io.mlguard.collector.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Sets that take storage from a {@link NearestQuerySet.Pool} behave exactly as sets that allocate
 * it: the same allocated() (the memory budget's count), size, counters and nearest answers after
 * every operation, through releases, reuse of released storage by other sets and restores.
 */
class PooledQuerySetTest {
    private final int[] sums = new int[NearestQuerySet.BLOCKS];

    /** The storage rule before pooling: allocate-and-copy growth, 2, 4, 8, ... entries. */
    private static final class Reference {
        final int capacity;
        final NearestQuerySet.Replacement replacement;
        final List<byte[]> entries = new ArrayList<>();
        int allocated;
        int next;
        long offered;

        Reference(int capacity, NearestQuerySet.Replacement replacement) {
            this.capacity = capacity;
            this.replacement = replacement;
        }

        void grow(int wanted) {
            if (wanted > allocated) {
                allocated = Math.min(capacity, Math.max(wanted, Math.max(2, allocated * 2)));
            }
        }

        void add(byte[] f, long hash) {
            offered++;
            if (entries.size() < capacity) {
                grow(entries.size() + 1);
                entries.add(f);
            } else if (replacement == NearestQuerySet.Replacement.OLDEST) {
                entries.set(next, f);
                next = (next + 1) % capacity;
            } else {
                long r = Long.remainderUnsigned(NearestQuerySet.mix(hash ^ offered), offered);
                if (r < capacity) {
                    entries.set((int) r, f);
                }
            }
        }

        void clear() {
            entries.clear();
            allocated = 0;
            next = 0;
            offered = 0;
        }

        long nearest(byte[] f, int nearL1) {
            long best = NearestQuerySet.EMPTY;
            for (byte[] e : entries) {
                long l1 = 0;
                long l2 = 0;
                for (int i = 0; i < f.length; i++) {
                    int d = (e[i] & 0xff) - (f[i] & 0xff);
                    l1 += Math.abs(d);
                    l2 += (long) d * d;
                }
                if (l1 <= nearL1) {
                    return NearestQuerySet.NEAR_DUPLICATE;
                }
                if (best < 0 || l2 < best) {
                    best = l2;
                }
            }
            return best;
        }
    }

    private static byte[] random(Random r, int length) {
        byte[] f = new byte[length];
        for (int i = 0; i < length; i++) {
            f[i] = (byte) r.nextInt(256);
        }
        return f;
    }

    private void check(NearestQuerySet set, Reference ref, int length, Random r) {
        assertThat(set.allocated()).isEqualTo(ref.allocated);
        assertThat(set.size()).isEqualTo(ref.entries.size());
        assertThat(set.offered()).isEqualTo(ref.offered);
        assertThat(set.next()).isEqualTo(ref.next);
        for (int s = 0; s < ref.entries.size(); s++) {
            assertThat(set.entry(s, length)).isEqualTo(ref.entries.get(s));
        }
        for (int q = 0; q < 3; q++) {
            byte[] f = random(r, length);
            if (!ref.entries.isEmpty() && q > 0) {
                f = ref.entries.get(r.nextInt(ref.entries.size())).clone();
                f[r.nextInt(length)] += (byte) (q == 1 ? 3 : 90);
            }
            int nearL1 = q == 2 ? 0 : 3 * length;
            NearestQuerySet.blockSums(f, length, sums);
            assertThat(set.nearest(f, length, sums, nearL1)).isEqualTo(ref.nearest(f, nearL1));
        }
    }

    @Test
    void pooledSetsMatchAllocatingOnesAfterEveryOperation() {
        Random r = new Random(7);
        int length = 64;
        // a small pool, so that it is often full and often empty
        NearestQuerySet.Pool pool = new NearestQuerySet.Pool(8);
        int[] capacities = {8, 128, 5, 3, 16, 1};
        NearestQuerySet[] sets = new NearestQuerySet[24];
        Reference[] refs = new Reference[sets.length];
        for (int i = 0; i < sets.length; i++) {
            int capacity = capacities[i % capacities.length];
            NearestQuerySet.Replacement rep =
                    i % 2 == 0
                            ? NearestQuerySet.Replacement.OLDEST
                            : NearestQuerySet.Replacement.RESERVOIR;
            sets[i] = new NearestQuerySet(capacity, rep);
            refs[i] = new Reference(capacity, rep);
        }
        int reused = 0;
        for (int op = 0; op < 20_000; op++) {
            int i = r.nextInt(sets.length);
            NearestQuerySet set = sets[i];
            Reference ref = refs[i];
            int what = r.nextInt(100);
            if (what < 85) {
                byte[] f = random(r, length);
                long hash = ExtractionDetector.hash(f, length);
                int pooled = pool.pooled();
                NearestQuerySet.blockSums(f, length, sums);
                set.add(f, length, sums, hash, pool);
                ref.add(f, hash);
                if (pool.pooled() < pooled) {
                    reused++;
                }
            } else if (what < 97) {
                set.release(pool);
                ref.clear();
            } else {
                // a checkpoint round trip into a set that may hold reused storage
                NearestQuerySet restored = new NearestQuerySet(ref.capacity, ref.replacement);
                byte[] f = random(r, length);
                NearestQuerySet.blockSums(f, length, sums);
                restored.add(f, length, sums, 1, pool);
                byte[][] entries = new byte[set.size()][];
                for (int s = 0; s < entries.length; s++) {
                    entries[s] = set.entry(s, length);
                }
                restored.restore(entries, length, set.next(), set.offered());
                sets[i] = restored;
                set = restored;
                // a restore allocates what its entries need, as before pooling
                int n = ref.entries.size();
                ref.allocated = n == 0 ? 0 : Math.min(ref.capacity, Math.max(n, 2));
            }
            check(set, ref, length, r);
        }
        // the pool was exercised: storage went round through it
        assertThat(reused).isGreaterThan(500);
    }

    @Test
    void aReleasedSetIsEmptyAndItsStorageServesTheNextSetOfThatSize() {
        NearestQuerySet.Pool pool = new NearestQuerySet.Pool(16);
        Random r = new Random(3);
        NearestQuerySet a = new NearestQuerySet(8, NearestQuerySet.Replacement.OLDEST);
        for (int i = 0; i < 3; i++) {
            byte[] f = random(r, 64);
            NearestQuerySet.blockSums(f, 64, sums);
            a.add(f, 64, sums, i, pool);
        }
        assertThat(a.allocated()).isEqualTo(4);
        // growing 2 -> 4 gave the 2-entry storage back
        assertThat(pool.pooled()).isEqualTo(1);
        a.release(pool);
        assertThat(a.size()).isZero();
        assertThat(a.allocated()).isZero();
        assertThat(pool.pooled()).isEqualTo(2);
        NearestQuerySet b = new NearestQuerySet(128, NearestQuerySet.Replacement.RESERVOIR);
        byte[] f = random(r, 64);
        NearestQuerySet.blockSums(f, 64, sums);
        b.add(f, 64, sums, 9, pool);
        assertThat(b.allocated()).isEqualTo(2);
        assertThat(pool.pooled()).isEqualTo(1);
        assertThat(b.entry(0, 64)).isEqualTo(f);
        assertThat(b.nearest(f, 64, sums, 0)).isEqualTo(NearestQuerySet.NEAR_DUPLICATE);
        byte[] g = Arrays.copyOf(f, 64);
        g[0] ^= 1;
        NearestQuerySet.blockSums(g, 64, sums);
        assertThat(b.nearest(g, 64, sums, 0)).isEqualTo(1);
    }
}
