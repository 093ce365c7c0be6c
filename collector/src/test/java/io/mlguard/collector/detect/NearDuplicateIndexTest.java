package io.mlguard.collector.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NearDuplicateIndexTest {
    private static final int LIMIT = 128; // 2 per cell on average, as the detector uses
    private final NearDuplicateIndex index = new NearDuplicateIndex();
    private final NearDuplicateIndex.Matches found = new NearDuplicateIndex.Matches(3);

    private static byte[] random(Random r) {
        byte[] f = new byte[64];
        for (int i = 0; i < f.length; i++) {
            f[i] = (byte) r.nextInt(256);
        }
        return f;
    }

    /** f with each cell moved by -2..2 (L1 at most 128, about 77 on average). */
    private static byte[] near(byte[] f, Random r) {
        byte[] g = f.clone();
        for (int i = 0; i < g.length; i++) {
            g[i] = (byte) Math.max(0, Math.min(255, (f[i] & 0xff) + r.nextInt(5) - 2));
        }
        return g;
    }

    private static int l1(byte[] a, byte[] b) {
        int d = 0;
        for (int i = 0; i < a.length; i++) {
            d += Math.abs((a[i] & 0xff) - (b[i] & 0xff));
        }
        return d;
    }

    @Test
    void findsNearDuplicatesAcrossTheWholeHistoryAndNothingFar() {
        Random r = new Random(1);
        byte[][] kept = new byte[NearDuplicateIndex.CAPACITY][];
        for (int k = 0; k < kept.length; k++) {
            kept[k] = random(r);
            index.add(kept[k], 64, k + 1, 1000 + k % 50);
        }
        int hits = 0;
        int probes = 2000;
        for (int p = 0; p < probes; p++) {
            int k = r.nextInt(kept.length); // as old as the whole history
            byte[] q = near(kept[k], r);
            assertThat(l1(q, kept[k])).isLessThanOrEqualTo(LIMIT);
            index.scan(q, 64, -1, 1, LIMIT, found);
            assertThat(found.own).isZero();
            assertThat(found.others).isLessThanOrEqualTo(1); // random cells: no other is near
            hits += found.others;
            index.scan(random(r), 64, -1, 1, LIMIT, found);
            assertThat(found.others).isZero();
        }
        // 8 tables of 4 components: a miss needs every table to split the pair
        System.out.println(
                "near-duplicate index: recall "
                        + hits
                        + " of "
                        + probes
                        + ", bucket evictions "
                        + index.bucketEvictions());
        assertThat(hits).isGreaterThanOrEqualTo((int) (0.99 * probes));
    }

    @Test
    void tellsOwnFromOthersAndRepeatsFromProbes() {
        Random r = new Random(2);
        byte[] f = random(r);
        index.add(f, 64, 7, 11);
        index.scan(f, 64, 7, 11, LIMIT, found);
        assertThat(found.repeat).isTrue(); // same fingerprint, same input: a retry
        index.addScanned(f, 64, 7, 11, found);
        assertThat(index.size()).isEqualTo(1); // and not stored
        assertThat(found.own).isZero();
        index.scan(f, 64, 8, 11, LIMIT, found);
        assertThat(found.repeat).isFalse(); // same fingerprint, other input: a probe
        assertThat(found.own).isEqualTo(1);
        index.scan(f, 64, 7, 12, LIMIT, found);
        assertThat(found.others).isZero(); // another client sending the very same input
        assertThat(found.repeat).isTrue();
        index.scan(f, 64, 0, 12, LIMIT, found);
        assertThat(found.others).isZero(); // unknown digest: taken for the same input
        index.scan(near(f, r), 64, 9, 12, LIMIT, found);
        assertThat(found.others).isEqualTo(1);
        assertThat(found.otherClients).isEqualTo(1);
        index.scan(f, 32, 9, 12, LIMIT, found);
        assertThat(found.others).isZero(); // another length is another input
    }

    @Test
    void anOwnersNearDuplicatesJoinOneEntryThatCountsThemAll() {
        Random r = new Random(5);
        byte[] f = random(r);
        for (int k = 0; k < 100; k++) {
            index.scan(f, 64, k + 1, 42, LIMIT, found); // a probe: same thumbnail, other input
            assertThat(found.own).isEqualTo(k);
            index.addScanned(f, 64, k + 1, 42, found);
        }
        assertThat(index.size()).isEqualTo(1);
        assertThat(index.bucketEvictions()).isZero();
        index.scan(near(f, r), 64, -1, 43, LIMIT, found);
        assertThat(found.others).isEqualTo(100); // another id carrying on the same attack
        assertThat(found.otherClients).isEqualTo(1);
        for (int id = 43; id < 60; id++) { // ids rotating every query join the same entry
            index.scan(near(f, r), 64, -id, id, LIMIT, found);
            assertThat(found.others).isEqualTo(100 + id - 43);
            assertThat(found.otherClients).isEqualTo(Math.min(3, 1 + id - 43));
            index.addScanned(near(f, r), 64, -id, id, found);
        }
        index.scan(f, 64, -1, 42, LIMIT, found);
        assertThat(found.own).isEqualTo(100);
        assertThat(found.others).isEqualTo(17);
        byte[] far = random(r);
        index.scan(far, 64, -1, 43, LIMIT, found);
        index.addScanned(far, 64, -1, 43, found); // a far query is a new entry
        assertThat(index.size()).isEqualTo(2);
    }

    @Test
    void memoryIsBoundedAndFullBucketsCountTheirEvictions() {
        Random r = new Random(3);
        byte[] f = random(r);
        for (int k = 0; k < 100; k++) {
            index.add(f, 64, k + 1, 5 + k); // one key in every table: one bucket per table fills
        }
        int slots = NearDuplicateIndex.BUCKET_SLOTS;
        assertThat(index.bucketEvictions()).isEqualTo((100L - slots) * NearDuplicateIndex.TABLES);
        index.scan(f, 64, -1, 1000, LIMIT, found);
        assertThat(found.others).isEqualTo(slots); // only the last BUCKET_SLOTS remain
        for (int k = 0; k < 3 * NearDuplicateIndex.CAPACITY; k++) {
            index.add(random(r), 64, k, k);
        }
        assertThat(index.size()).isEqualTo(NearDuplicateIndex.CAPACITY);
        assertThat(index.added()).isEqualTo(100L + 3 * NearDuplicateIndex.CAPACITY);
        index.scan(f, 64, -1, 1000, LIMIT, found);
        assertThat(found.others).isZero(); // aged out
    }

    @Test
    void aRestoredIndexAnswersAsTheOriginal() {
        Random r = new Random(4);
        byte[][] kept = new byte[NearDuplicateIndex.CAPACITY + 500][];
        for (int k = 0; k < kept.length; k++) {
            // every fifth query a near-duplicate of a recent one, which joins its entry
            kept[k] = k % 5 == 4 ? near(kept[k - 1 - r.nextInt(3)], r) : random(r);
            index.scan(kept[k], 64, k, k % 7, LIMIT, found);
            index.addScanned(kept[k], 64, k, k % 7, found);
        }
        ObjectNode saved = index.saveState();
        NearDuplicateIndex copy = new NearDuplicateIndex();
        copy.restoreState(saved);
        assertThat(copy.saveState()).isEqualTo(saved);
        assertThat(copy.added()).isEqualTo(index.added());
        assertThat(index.size()).isLessThan(kept.length - 500); // joined entries
        NearDuplicateIndex.Matches other = new NearDuplicateIndex.Matches(3);
        for (int p = 0; p < 2000; p++) {
            byte[] q = near(kept[kept.length - 1 - r.nextInt(kept.length)], r);
            index.scan(q, 64, -1, 3, LIMIT, found);
            copy.scan(q, 64, -1, 3, LIMIT, other);
            assertThat(other.own).isEqualTo(found.own);
            assertThat(other.others).isEqualTo(found.others);
            assertThat(other.otherClients).isEqualTo(found.otherClients);
            index.addScanned(q, 64, -1, 3, found);
            copy.addScanned(q, 64, -1, 3, other);
        }
    }

    @Test
    void aDamagedStateIsRefused() {
        index.add(new byte[64], 64, 1, 1);
        ObjectNode saved = index.saveState();
        String data = saved.path("data").asText();
        saved.put("data", data.substring(0, data.length() - 8));
        assertThatThrownBy(() -> new NearDuplicateIndex().restoreState(saved))
                .isInstanceOf(IllegalArgumentException.class);
        ObjectNode weightless = index.saveState();
        byte[] raw = java.util.Base64.getDecoder().decode(weightless.path("data").asText());
        raw[1 + 64 + 4 + 3] = 0; // the total weight's low byte: 1 becomes 0
        weightless.put("data", java.util.Base64.getEncoder().encodeToString(raw));
        assertThatThrownBy(() -> new NearDuplicateIndex().restoreState(weightless))
                .isInstanceOf(IllegalArgumentException.class);
        ObjectNode negative = index.saveState().put("added", -1);
        assertThatThrownBy(() -> new NearDuplicateIndex().restoreState(negative))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
