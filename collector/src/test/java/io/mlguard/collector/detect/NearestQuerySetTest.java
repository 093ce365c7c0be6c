package io.mlguard.collector.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NearestQuerySetTest {
    private final int[] sums = new int[NearestQuerySet.BLOCKS];

    private static byte[] random(Random r, int length) {
        byte[] f = new byte[length];
        for (int i = 0; i < length; i++) {
            f[i] = (byte) r.nextInt(256);
        }
        return f;
    }

    private static long l2Squared(byte[] a, byte[] b) {
        long s = 0;
        for (int i = 0; i < a.length; i++) {
            int d = (a[i] & 0xff) - (b[i] & 0xff);
            s += (long) d * d;
        }
        return s;
    }

    private void add(NearestQuerySet set, byte[] f) {
        NearestQuerySet.blockSums(f, f.length, sums);
        set.add(f, f.length, sums, ExtractionDetector.hash(f, f.length));
    }

    private long nearest(NearestQuerySet set, byte[] f, int nearL1) {
        NearestQuerySet.blockSums(f, f.length, sums);
        return set.nearest(f, f.length, sums, nearL1);
    }

    @Test
    void nearestIsExactlyTheBruteForceMinimum() {
        Random r = new Random(1);
        for (int length : new int[] {64, 40, 16}) {
            NearestQuerySet set = new NearestQuerySet(200, NearestQuerySet.Replacement.RESERVOIR);
            List<byte[]> kept = new ArrayList<>();
            assertThat(nearest(set, random(r, length), 0)).isEqualTo(NearestQuerySet.EMPTY);
            for (int i = 0; i < 150; i++) {
                byte[] f = random(r, length);
                // some entries close to earlier ones, so the bounds have something to prune for
                if (i > 10 && i % 3 == 0) {
                    f = kept.get(r.nextInt(kept.size())).clone();
                    f[r.nextInt(length)] ^= 0x5a;
                }
                kept.add(f);
                add(set, f);
            }
            for (int q = 0; q < 300; q++) {
                byte[] f = random(r, length);
                if (q % 2 == 0) {
                    f = kept.get(r.nextInt(kept.size())).clone();
                    f[r.nextInt(length)] += 40;
                }
                long expected = Long.MAX_VALUE;
                for (byte[] k : kept) {
                    expected = Math.min(expected, l2Squared(k, f));
                }
                assertThat(nearest(set, f, 0))
                        .as("length %d query %d", length, q)
                        .isEqualTo(expected == 0 ? NearestQuerySet.NEAR_DUPLICATE : expected);
            }
        }
    }

    @Test
    void anEntryWithinTheL1LimitIsANearDuplicate() {
        NearestQuerySet set = new NearestQuerySet(8, NearestQuerySet.Replacement.OLDEST);
        byte[] a = new byte[64];
        add(set, a);
        byte[] b = new byte[64];
        for (int i = 0; i < 64; i++) {
            b[i] = 2; // L1 128, L2² 256
        }
        assertThat(nearest(set, b, 128)).isEqualTo(NearestQuerySet.NEAR_DUPLICATE);
        assertThat(nearest(set, b, 127)).isEqualTo(256);
    }

    @Test
    void oldestIsReplacedInARecencyWindow() {
        NearestQuerySet set = new NearestQuerySet(4, NearestQuerySet.Replacement.OLDEST);
        for (int v = 0; v < 6; v++) {
            byte[] f = new byte[16];
            f[0] = (byte) (v * 10);
            add(set, f);
        }
        assertThat(set.size()).isEqualTo(4);
        byte[] first = new byte[16]; // value 0 and 10 were replaced by 40 and 50
        assertThat(nearest(set, first, 0)).isEqualTo(20L * 20);
        assertThat(set.allocated()).isEqualTo(4);
    }

    @Test
    void aReservoirKeepsAUniformSampleWithinItsCapacity() {
        NearestQuerySet set = new NearestQuerySet(100, NearestQuerySet.Replacement.RESERVOIR);
        Random r = new Random(2);
        int[] keptOfFirstHalf = new int[1];
        List<byte[]> firstHalf = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            byte[] f = random(r, 64);
            if (i < 500) {
                firstHalf.add(f);
            }
            add(set, f);
        }
        assertThat(set.size()).isEqualTo(100);
        assertThat(set.offered()).isEqualTo(1000);
        assertThat(set.allocated()).isEqualTo(100);
        for (byte[] f : firstHalf) {
            if (nearest(set, f, 0) == NearestQuerySet.NEAR_DUPLICATE) {
                keptOfFirstHalf[0]++;
            }
        }
        // a uniform sample holds about half of its entries from the first half: 50 ± 3σ (σ = 5)
        assertThat(keptOfFirstHalf[0]).isBetween(35, 65);
    }

    @Test
    void storageGrowsWithUse() {
        NearestQuerySet set = new NearestQuerySet(128, NearestQuerySet.Replacement.RESERVOIR);
        assertThat(set.allocated()).isZero();
        add(set, new byte[64]);
        assertThat(set.allocated()).isEqualTo(2);
        for (int i = 1; i < 20; i++) {
            byte[] f = new byte[64];
            f[0] = (byte) i;
            add(set, f);
        }
        assertThat(set.allocated()).isEqualTo(32);
    }

    @Test
    void aRestoredSetMustFit() {
        NearestQuerySet set = new NearestQuerySet(2, NearestQuerySet.Replacement.OLDEST);
        assertThatThrownBy(() -> set.restore(new byte[3][64], 64, 0, 3))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> set.restore(new byte[1][64], 64, 2, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> set.restore(new byte[2][64], 64, 0, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
