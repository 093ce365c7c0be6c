package io.mlguard.collector.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The index with its per-slot fields side by side against the one with an array per field ({@link
 * NearDuplicateIndexBefore}): the same operations give the same matches, counters and saved state,
 * through the ring's wrap, bucket evictions, copies and restores.
 */
class NearDuplicateIndexLayoutTest {
    private static final int LIMIT = 128;

    @Test
    void answersAndStatesAsTheArrayPerFieldIndex() {
        Random r = new Random(17);
        byte[][] prototypes = new byte[400][];
        for (int p = 0; p < prototypes.length; p++) {
            prototypes[p] = new byte[64];
            for (int c = 0; c < 64; c++) {
                prototypes[p][c] = (byte) (r.nextInt(3) == 0 ? 0 : r.nextInt(256));
            }
        }
        NearDuplicateIndex now = new NearDuplicateIndex();
        NearDuplicateIndexBefore before = new NearDuplicateIndexBefore();
        NearDuplicateIndex.Matches a = new NearDuplicateIndex.Matches(3);
        NearDuplicateIndex.Matches b = new NearDuplicateIndex.Matches(3);
        NearDuplicateIndex copy = null;
        NearDuplicateIndexBefore copyBefore = null;
        byte[] last = null;
        int lastLength = 0;
        int lastDigest = 0;
        long matched = 0;
        long repeats = 0;
        for (int k = 0; k < 3 * NearDuplicateIndex.CAPACITY; k++) {
            byte[] f = prototypes[r.nextInt(prototypes.length)].clone();
            int noise = r.nextInt(4) == 0 ? 1 : 1 + r.nextInt(40); // near-duplicates and others
            for (int c = 0; c < 64; c++) {
                f[c] =
                        (byte)
                                Math.max(
                                        0,
                                        Math.min(
                                                255,
                                                (f[c] & 0xff) + r.nextInt(2 * noise + 1) - noise));
            }
            int length = r.nextInt(20) == 0 ? 16 + r.nextInt(48) : 64;
            int digest = r.nextInt(10) == 0 ? 0 : r.nextInt(50);
            int owner = r.nextInt(30);
            if (last != null && r.nextInt(20) == 0) { // a retry: the same input again
                f = last;
                length = lastLength;
                digest = lastDigest;
            }
            last = f;
            lastLength = length;
            lastDigest = digest;
            now.scan(f, length, digest, owner, LIMIT, a);
            before.scan(f, length, digest, owner, LIMIT, b);
            assertSame(a, b);
            matched += a.own + a.others > 0 ? 1 : 0;
            repeats += a.repeat ? 1 : 0;
            now.addScanned(f, length, digest, owner, a);
            before.addScanned(f, length, digest, owner, b);
            if (k % 997 == 0) {
                copy = now.copy();
                copyBefore = before.copy();
            }
            if (copy != null && k % 7 == 0) { // a copy answers as the original did
                copy.scan(f, length, digest, owner, LIMIT, a);
                copyBefore.scan(f, length, digest, owner, LIMIT, b);
                assertSame(a, b);
            }
            if (k % 4_999 == 4_998) {
                assertThat(now.saveState()).isEqualTo(before.saveState());
                NearDuplicateIndex restored = new NearDuplicateIndex();
                restored.restoreState(now.saveState());
                NearDuplicateIndexBefore restoredBefore = new NearDuplicateIndexBefore();
                restoredBefore.restoreState(before.saveState());
                now = restored;
                before = restoredBefore;
            }
            assertThat(now.added()).isEqualTo(before.added());
            assertThat(now.size()).isEqualTo(before.size());
            assertThat(now.bucketEvictions()).isEqualTo(before.bucketEvictions());
        }
        assertThat(now.saveState()).isEqualTo(before.saveState());
        assertThat(now.copy().saveState()).isEqualTo(before.copy().saveState());
        // the workload exercised matches, repeats and full buckets, not only misses
        assertThat(matched).isGreaterThan(1_000);
        assertThat(repeats).isGreaterThan(10);
        assertThat(now.bucketEvictions()).isGreaterThan(0);
    }

    private static void assertSame(NearDuplicateIndex.Matches a, NearDuplicateIndex.Matches b) {
        assertThat(a.own).isEqualTo(b.own);
        assertThat(a.others).isEqualTo(b.others);
        assertThat(a.otherClients).isEqualTo(b.otherClients);
        assertThat(a.repeat).isEqualTo(b.repeat);
        for (int i = 0; i < a.otherClients; i++) {
            assertThat(a.seenClients[i]).isEqualTo(b.seenClients[i]);
        }
    }
}
