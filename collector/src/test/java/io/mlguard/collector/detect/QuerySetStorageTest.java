package io.mlguard.collector.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Sets whose arrays start at another size than the growth rule's count behave exactly as sets whose
 * arrays are that count: the same allocated() (the memory budget's count), size, counters, entries
 * and nearest answers after every operation, through clears and checkpoint round trips.
 */
class QuerySetStorageTest {
    private final int[] sums = new int[NearestQuerySet.BLOCKS];

    /** The storage rule before: arrays of the count, allocate-and-copy growth, 2, 4, 8, ... */
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
    void setsOfAnyFirstStorageMatchTheCountedRuleAfterEveryOperation() {
        Random r = new Random(7);
        int length = 64;
        int[] capacities = {8, 128, 5, 3, 16, 1};
        int[] firsts = {1, 4, 2, 3, 8, 200};
        NearestQuerySet[] sets = new NearestQuerySet[36];
        Reference[] refs = new Reference[sets.length];
        for (int i = 0; i < sets.length; i++) {
            int capacity = capacities[i % capacities.length];
            NearestQuerySet.Replacement rep =
                    i % 2 == 0
                            ? NearestQuerySet.Replacement.OLDEST
                            : NearestQuerySet.Replacement.RESERVOIR;
            sets[i] = new NearestQuerySet(capacity, rep, firsts[(i / 6) % firsts.length]);
            refs[i] = new Reference(capacity, rep);
        }
        int differing = 0;
        for (int op = 0; op < 20_000; op++) {
            int i = r.nextInt(sets.length);
            NearestQuerySet set = sets[i];
            Reference ref = refs[i];
            int what = r.nextInt(100);
            if (what < 88) {
                byte[] f = random(r, length);
                long hash = ExtractionDetector.hash(f, length);
                NearestQuerySet.blockSums(f, length, sums);
                set.add(f, length, sums, hash);
                ref.add(f, hash);
            } else if (what < 97) {
                set.clear();
                ref.clear();
            } else {
                // a checkpoint round trip, as ExtractionState does it
                NearestQuerySet restored =
                        new NearestQuerySet(ref.capacity, ref.replacement, firsts[(i / 6) % 6]);
                byte[][] entries = new byte[set.size()][];
                for (int s = 0; s < entries.length; s++) {
                    entries[s] = set.entry(s, length);
                }
                restored.restore(entries, length, set.next(), set.offered());
                sets[i] = restored;
                set = restored;
                // a restore leaves the count as the live set had it (the reference unchanged), so
                // a restored detector's budget evicts when the live one would
            }
            check(set, ref, length, r);
            assertThat(set.storage()).isGreaterThanOrEqualTo(set.size());
            if (set.storage() != set.allocated()) {
                differing++;
            }
        }
        // the arrays were often another size than the count: the comparison meant something
        assertThat(differing).isGreaterThan(1_000);
    }

    @Test
    void typicalSetsAreAllocatedOnceAtTheirTypicalSize() {
        Random r = new Random(3);
        NearestQuerySet kept =
                new NearestQuerySet(
                        ExtractionClient.KEPT_PER_CLASS,
                        NearestQuerySet.Replacement.RESERVOIR,
                        ExtractionClient.KEPT_FIRST_STORAGE);
        NearestQuerySet recent =
                new NearestQuerySet(
                        ExtractionClient.RECENT,
                        NearestQuerySet.Replacement.OLDEST,
                        ExtractionClient.RECENT_FIRST_STORAGE);
        byte[] f = random(r, 64);
        NearestQuerySet.blockSums(f, 64, sums);
        kept.add(f, 64, sums, 1);
        recent.add(f, 64, sums, 1);
        // counted as the growth rule always counted them, stored as they are typically used
        assertThat(kept.allocated()).isEqualTo(2);
        assertThat(kept.storage()).isEqualTo(1);
        assertThat(recent.allocated()).isEqualTo(2);
        assertThat(recent.storage()).isEqualTo(4);
        for (int q = 0; q < 3; q++) {
            byte[] g = random(r, 64);
            NearestQuerySet.blockSums(g, 64, sums);
            kept.add(g, 64, sums, q + 2);
            recent.add(g, 64, sums, q + 2);
        }
        assertThat(kept.allocated()).isEqualTo(4);
        assertThat(kept.storage()).isEqualTo(4);
        assertThat(recent.allocated()).isEqualTo(4);
        assertThat(recent.storage()).isEqualTo(4);
        NearestQuerySet.blockSums(f, 64, sums);
        assertThat(kept.nearest(f, 64, sums, 0)).isEqualTo(NearestQuerySet.NEAR_DUPLICATE);
        assertThat(kept.copy().allocated()).isEqualTo(4);
    }
}
