package io.mlguard.collector.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Base64;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FingerprintRingTest {
    private static byte[] near(byte[] base, SplittableRandom r, int noise) {
        byte[] f = base.clone();
        for (int i = 0; i < f.length; i++) {
            int v = (f[i] & 0xff) + r.nextInt(2 * noise + 1) - noise;
            f[i] = (byte) Math.max(0, Math.min(255, v));
        }
        return f;
    }

    @Test
    void blockSumBoundsNeverRuleOutAPairTheCellsWouldKeep() {
        SplittableRandom r = new SplittableRandom(3);
        FingerprintRing ring = new FingerprintRing(256);
        byte[] base = new byte[64];
        for (int i = 0; i < 64; i++) {
            base[i] = (byte) r.nextInt(256);
        }
        for (int s = 0; s < 256; s++) {
            byte[] f = s % 2 == 0 ? near(base, r, 1 + s % 9) : near(base, r, 120);
            ring.add(f, 64, FingerprintRing.hash(f, 64), s);
        }
        int[] sums = new int[FingerprintRing.BLOCKS + 1];
        int kept = 0;
        int ruledOut = 0;
        for (int q = 0; q < 200; q++) {
            byte[] f = near(base, r, 1 + q % 40);
            FingerprintRing.blockSums(f, 64, sums);
            for (int s = 0; s < ring.size(); s++) {
                for (int limit : new int[] {64, 128, 512}) {
                    boolean within = ring.l1At(s, f, 64, limit) <= limit;
                    if (ring.surelyFarther(s, sums, limit)) {
                        assertThat(within).as("slot %d, limit %d", s, limit).isFalse();
                        ruledOut++;
                    } else if (within) {
                        kept++;
                    }
                }
                long sq = ring.l2SquaredAt(s, f, 64);
                assertThat(ring.l2SquaredLowerBoundTimesBlock(s, sums))
                        .isLessThanOrEqualTo(FingerprintRing.BLOCK * sq);
            }
        }
        // Both outcomes happen, so the assertions above were exercised.
        assertThat(kept).isPositive();
        assertThat(ruledOut).isPositive();
    }

    @Test
    void aRewrittenWindowIsMeasuredBeyondTheQuantisationsUniformShift() {
        // the window's range change lifted every cell by 11; the window's 2 x 2 cells only by 1
        byte[] before = new byte[64];
        byte[] after = new byte[64];
        for (int i = 0; i < 64; i++) {
            before[i] = (byte) (40 + i);
            int lift = (i / 8 == 2 || i / 8 == 3) && (i % 8 == 5 || i % 8 == 6) ? 1 : 11;
            after[i] = (byte) (40 + i + lift);
        }
        FingerprintRing ring = new FingerprintRing(4);
        ring.add(before, 64, FingerprintRing.hash(before, 64), 0);
        int[] histogram = new int[511];
        int shift = ring.modalShiftAt(0, after, 64, histogram);
        assertThat(shift).isEqualTo(11);
        assertThat(histogram).containsOnly(0);
        // raw differences: 60 cells moved by 11, 4 by 1, none by more than 12
        assertThat(ring.rewrittenWindowAt(0, after, 64, 0, 12, 3, 40, 4)).isFalse();
        // beyond the shift: 4 packed cells moved by -10 (more than 9), one way, filling their box
        assertThat(ring.rewrittenWindowAt(0, after, 64, shift, 9, 3, 40, 4)).isTrue();
        assertThat(ring.rewrittenWindowAt(0, after, 64, shift, 10, 3, 40, 4)).isFalse();
        assertThat(ring.modalShiftAt(0, new byte[63], 63, histogram)).isZero();
    }

    @Test
    void restoresItsCompactStateAndTheOlderPerSlotForm() {
        FingerprintRing ring = new FingerprintRing(4);
        byte[][] fs = {{1, 2, 3}, {9, 8, 7, 6}, {(byte) 200, 0, 5}};
        for (int k = 0; k < 6; k++) {
            byte[] f = fs[k % 3];
            ring.add(f, f.length, FingerprintRing.hash(f, f.length), 10 + k);
        }
        FingerprintRing copy = new FingerprintRing(4);
        copy.restoreState(ring.saveState());
        assertThat(copy.saveState()).isEqualTo(ring.saveState());
        for (int s = 0; s < ring.size(); s++) {
            assertThat(copy.hashAt(s)).isEqualTo(ring.hashAt(s));
            assertThat(copy.ownerAt(s)).isEqualTo(ring.ownerAt(s));
        }

        ObjectNode legacy = DetectorStateJson.MAPPER.createObjectNode();
        legacy.put("next", 1);
        legacy.putArray("slots")
                .addArray()
                .add(Base64.getEncoder().encodeToString(fs[1]))
                .add(FingerprintRing.hash(fs[1], 4))
                .add(77);
        FingerprintRing old = new FingerprintRing(4);
        old.restoreState(legacy);
        assertThat(old.size()).isEqualTo(1);
        assertThat(old.equalsAt(0, fs[1], 4)).isTrue();
        assertThat(old.ownerAt(0)).isEqualTo(77);
    }

    @Test
    void rejectsATruncatedState() {
        FingerprintRing ring = new FingerprintRing(4);
        byte[] f = {1, 2, 3};
        ring.add(f, 3, FingerprintRing.hash(f, 3), 1);
        ObjectNode state = ring.saveState();
        state.put("size", 2);
        assertThatThrownBy(() -> new FingerprintRing(4).restoreState(state))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void addingWithTheQuerysBlockSumsStoresWhatAddingAloneStores() {
        SplittableRandom r = new SplittableRandom(17);
        FingerprintRing plain = new FingerprintRing(32);
        FingerprintRing given = new FingerprintRing(32);
        int[] sums = new int[FingerprintRing.BLOCKS + 1];
        int[] query = new int[FingerprintRing.BLOCKS + 1];
        for (int k = 0; k < 300; k++) {
            int length = 1 + r.nextInt(FingerprintRing.MAX_LENGTH);
            byte[] f = new byte[length];
            for (int i = 0; i < length; i++) {
                f[i] = (byte) r.nextInt(256);
            }
            FingerprintRing.blockSums(f, length, sums);
            long hash = FingerprintRing.hash(f, length);
            plain.add(f, length, hash, k);
            given.add(f, length, hash, k, sums);
            assertThat(given.saveState()).isEqualTo(plain.saveState());
            FingerprintRing.blockSums(f, length, query);
            for (int s = 0; s < plain.size(); s++) {
                assertThat(given.l1LowerBound(s, query)).isEqualTo(plain.l1LowerBound(s, query));
                for (int limit : new int[] {0, 100, 1000, 5000}) {
                    assertThat(given.surelyFarther(s, query, limit))
                            .isEqualTo(plain.surelyFarther(s, query, limit));
                }
                assertThat(given.hashAt(s)).isEqualTo(plain.hashAt(s));
            }
        }
    }
}
