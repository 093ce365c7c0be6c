package io.mlguard.collector.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The ring with each slot's numbers side by side against the one with an array per number ({@link
 * FingerprintRingBefore}): the same adds give the same answers from every query, the same saved
 * state, copies and restores, through wraps and clears.
 */
class FingerprintRingLayoutTest {

    @Test
    void answersAndStatesAsTheArrayPerNumberRing() {
        Random r = new Random(23);
        for (int capacity : new int[] {1, 8, 64}) {
            FingerprintRing now = new FingerprintRing(capacity);
            FingerprintRingBefore before = new FingerprintRingBefore(capacity);
            byte[] base = fingerprint(r);
            for (int k = 0; k < 3_000; k++) {
                if (r.nextInt(50) == 0) {
                    base = fingerprint(r);
                }
                byte[] f = near(base, r, r.nextInt(3) == 0 ? 40 : 3);
                int length = r.nextInt(10) == 0 ? 16 + r.nextInt(49) : 64;
                long hash = FingerprintRing.hash(f, length);
                int owner = r.nextInt(7);
                int[] sums = new int[FingerprintRing.BLOCKS + 1];
                FingerprintRing.blockSums(f, length, sums);
                assertSameAnswers(now, before, f, length, sums, r);
                if (r.nextBoolean()) {
                    now.add(f, length, hash, owner, sums);
                    before.add(f, length, hash, owner, sums);
                } else {
                    now.add(f, length, hash, owner);
                    before.add(f, length, hash, owner);
                }
                if (k % 101 == 100) {
                    assertThat(now.saveState()).isEqualTo(before.saveState());
                    FingerprintRing restored = new FingerprintRing(capacity);
                    restored.restoreState(now.saveState());
                    FingerprintRingBefore restoredBefore = new FingerprintRingBefore(capacity);
                    restoredBefore.restoreState(before.saveState());
                    now = r.nextBoolean() ? restored : restored.copy();
                    before = restoredBefore;
                }
                if (k % 997 == 996) {
                    now.clear();
                    before.clear();
                }
            }
            assertThat(now.saveState()).isEqualTo(before.saveState());
            assertThat(now.copy().saveState()).isEqualTo(before.copy().saveState());
        }
    }

    private static void assertSameAnswers(
            FingerprintRing now,
            FingerprintRingBefore before,
            byte[] f,
            int length,
            int[] sums,
            Random r) {
        assertThat(now.size()).isEqualTo(before.size());
        int[] histogram = new int[511];
        for (int s = 0; s < now.size(); s++) {
            int limit = r.nextInt(400);
            assertThat(now.surelyFarther(s, sums, limit))
                    .isEqualTo(before.surelyFarther(s, sums, limit));
            assertThat(now.l1LowerBound(s, sums)).isEqualTo(before.l1LowerBound(s, sums));
            assertThat(now.l2SquaredLowerBoundTimesBlock(s, sums))
                    .isEqualTo(before.l2SquaredLowerBoundTimesBlock(s, sums));
            assertThat(now.hashAt(s)).isEqualTo(before.hashAt(s));
            assertThat(now.ownerAt(s)).isEqualTo(before.ownerAt(s));
            assertThat(now.equalsAt(s, f, length)).isEqualTo(before.equalsAt(s, f, length));
            assertThat(now.l1At(s, f, length, limit)).isEqualTo(before.l1At(s, f, length, limit));
            assertThat(now.l2SquaredAt(s, f, length)).isEqualTo(before.l2SquaredAt(s, f, length));
            assertThat(now.l2At(s, f, length)).isEqualTo(before.l2At(s, f, length));
            assertThat(now.unchangedAt(s, f, length, 12, 8, histogram))
                    .isEqualTo(before.unchangedAt(s, f, length, 12, 8, histogram));
            int shift = now.modalShiftAt(s, f, length, histogram);
            assertThat(shift).isEqualTo(before.modalShiftAt(s, f, length, histogram));
            assertThat(now.rewrittenWindowAt(s, f, length, shift, 12, 3, 40, 4))
                    .isEqualTo(before.rewrittenWindowAt(s, f, length, shift, 12, 3, 40, 4));
            assertThat(now.newest(s)).isEqualTo(before.newest(s));
        }
        assertThat(histogram).containsOnly(0);
    }

    private static byte[] fingerprint(Random r) {
        byte[] f = new byte[64];
        for (int i = 0; i < f.length; i++) {
            f[i] = (byte) (r.nextInt(4) == 0 ? 0 : r.nextInt(256));
        }
        return f;
    }

    private static byte[] near(byte[] f, Random r, int noise) {
        byte[] g = f.clone();
        for (int i = 0; i < g.length; i++) {
            int v = (f[i] & 0xff) + r.nextInt(2 * noise + 1) - noise;
            g[i] = (byte) Math.max(0, Math.min(255, v));
        }
        return g;
    }
}
