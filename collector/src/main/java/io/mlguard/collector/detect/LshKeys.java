package io.mlguard.collector.detect;

import java.util.SplittableRandom;

/**
 * The bucket keys of a fingerprint in each table of a {@link NearDuplicateIndex}: per table, {@link
 * #COMPONENTS} sums of {@link #GROUP} random cells, each shifted by a random offset and divided by
 * {@link #WIDTH} (the L1 scheme of Datar et al.'s p-stable LSH, with sums in place of projections).
 * Two fingerprints whose cells in a group differ by Δ in total get the same component with
 * probability at least {@code 1 - Δ/WIDTH}. Near-duplicates (cells within ±2, Δ about 5 since the
 * differences' signs vary) share a table's key with p ≈ 0.65 and one of eight tables' with p >
 * 0.999, while the group sums of different inputs spread over hundreds, so keys spread over the
 * buckets (a wider width fills buckets more unevenly: NearDuplicateIndexTest measures recall and
 * evictions). Summing random cells rather than sampling single ones keeps a common background (the
 * zero border of a digit) from giving every input the same key. The functions come from a fixed
 * seed, so keys survive restarts.
 */
final class LshKeys {
    static final int COMPONENTS = 4;
    static final int GROUP = 8;
    static final int WIDTH = 48;
    private static final int LEN = FingerprintRing.MAX_LENGTH;
    private static final int TABLES = NearDuplicateIndex.TABLES;

    // cell indices [table][component][cell] and offsets [table][component], flattened
    private static final byte[] CELLS = new byte[TABLES * COMPONENTS * GROUP];
    private static final int[] OFFSETS = new int[TABLES * COMPONENTS];

    static {
        SplittableRandom random = new SplittableRandom(0x6d6c6775617264L);
        int[] order = new int[LEN];
        for (int i = 0; i < LEN; i++) {
            order[i] = i;
        }
        for (int t = 0; t < TABLES; t++) {
            // a fresh permutation per table: its components use disjoint cells
            for (int i = LEN - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int x = order[i];
                order[i] = order[j];
                order[j] = x;
            }
            for (int c = 0; c < COMPONENTS; c++) {
                for (int g = 0; g < GROUP; g++) {
                    CELLS[(t * COMPONENTS + c) * GROUP + g] = (byte) order[c * GROUP + g];
                }
                OFFSETS[t * COMPONENTS + c] = random.nextInt(WIDTH);
            }
        }
    }

    private LshKeys() {}

    /**
     * Fills {@code out} (one key per table, each below {@link NearDuplicateIndex#BUCKETS}) for the
     * first {@code length} cells of f; cells past the length count as 0, and the length is part of
     * the key.
     */
    static void keys(byte[] f, int length, int[] out) {
        if (length >= LEN) {
            fullKeys(f, length, out);
        } else {
            checkedKeys(f, length, out);
        }
    }

    /** {@link #keys} for any length: a cell past it counts as 0. */
    static void checkedKeys(byte[] f, int length, int[] out) {
        for (int t = 0; t < TABLES; t++) {
            int h = 0x9e3779b9 * (length + 1) + t;
            for (int c = 0; c < COMPONENTS; c++) {
                int base = (t * COMPONENTS + c) * GROUP;
                int sum = OFFSETS[t * COMPONENTS + c];
                for (int g = 0; g < GROUP; g++) {
                    int cell = CELLS[base + g];
                    sum += cell < length ? f[cell] & 0xff : 0;
                }
                h = (h ^ (sum / WIDTH)) * 0x01000193;
            }
            h ^= h >>> 15;
            h *= 0x2c1b3c6d;
            h ^= h >>> 12;
            out[t] = h & (NearDuplicateIndex.BUCKETS - 1);
        }
    }

    /**
     * {@link #keys} for a fingerprint of at least {@link #LEN} cells, the usual 8 by 8: every
     * group's cells lie within the length, so the sums need no test per cell.
     */
    private static void fullKeys(byte[] f, int length, int[] out) {
        for (int t = 0; t < TABLES; t++) {
            int h = 0x9e3779b9 * (length + 1) + t;
            for (int c = 0; c < COMPONENTS; c++) {
                int base = (t * COMPONENTS + c) * GROUP;
                int sum = OFFSETS[t * COMPONENTS + c];
                for (int g = 0; g < GROUP; g++) {
                    sum += f[CELLS[base + g]] & 0xff;
                }
                h = (h ^ (sum / WIDTH)) * 0x01000193;
            }
            h ^= h >>> 15;
            h *= 0x2c1b3c6d;
            h ^= h >>> 12;
            out[t] = h & (NearDuplicateIndex.BUCKETS - 1);
        }
    }
}
