package io.mlguard.collector.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LshKeysTest {
    @Test
    void fullLengthKeysAreThoseOfTheCheckedLoop() {
        // the 64-cell path skips the per-cell length test: same keys as the loop that makes it
        SplittableRandom r = new SplittableRandom(5);
        int[] fast = new int[NearDuplicateIndex.TABLES];
        int[] checked = new int[NearDuplicateIndex.TABLES];
        Set<Integer> distinct = new HashSet<>();
        for (int k = 0; k < 5000; k++) {
            byte[] f = new byte[FingerprintRing.MAX_LENGTH + r.nextInt(3)];
            int max = 1 + r.nextInt(256);
            for (int i = 0; i < f.length; i++) {
                f[i] = (byte) r.nextInt(max);
            }
            int length = r.nextInt(4) == 0 ? r.nextInt(FingerprintRing.MAX_LENGTH) : 64;
            LshKeys.keys(f, length, fast);
            LshKeys.checkedKeys(f, length, checked);
            assertThat(fast).isEqualTo(checked);
            for (int key : fast) {
                assertThat(key).isBetween(0, NearDuplicateIndex.BUCKETS - 1);
            }
            distinct.add(fast[0]);
        }
        assertThat(distinct).hasSizeGreaterThan(500); // keys that differ were compared
    }
}
