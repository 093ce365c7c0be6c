package io.mlguard.collector.detect;

import io.mlguard.protocol.InferenceRecord;
import io.mlguard.protocol.TensorSummary;

/**
 * A 32-bit digest of a single-row input's exact statistics (count, min, max, mean, standard
 * deviation, L2 norm, as the agent computed them in double precision). It tells a true repeat (a
 * retry sends the very same numbers) from a different input whose coarse fingerprint happens to be
 * identical: HopSkipJump's and Boundary's probes move each pixel by 1e-4 or less, far below one
 * quantisation step of the thumbnail, yet change every statistic. 0 means unknown (no input
 * summary, or a batch, whose statistics cover more than the fingerprinted first row).
 */
final class InputDigest {
    private InputDigest() {}

    static int of(InferenceRecord r) {
        if (r.inputCount < 1 || r.batchSize > 1) {
            return 0;
        }
        TensorSummary in = r.inputs[0];
        long h = in.count * 0x9e3779b97f4a7c15L;
        h = mix(h, Double.doubleToLongBits(in.min));
        h = mix(h, Double.doubleToLongBits(in.max));
        h = mix(h, Double.doubleToLongBits(in.mean));
        h = mix(h, Double.doubleToLongBits(in.std));
        h = mix(h, Double.doubleToLongBits(in.l2Norm));
        int d = (int) (h ^ (h >>> 32));
        return d == 0 ? 1 : d;
    }

    /**
     * Whether a stored digest and a new one may belong to the same input: equal, or either unknown
     * (older checkpoints stored 0), in which case an identical fingerprint is taken for a repeat as
     * before.
     */
    static boolean same(int stored, int digest) {
        return stored == 0 || digest == 0 || stored == digest;
    }

    private static long mix(long h, long v) {
        h ^= v;
        h *= 0xbf58476d1ce4e5b9L;
        return h ^ (h >>> 31);
    }
}
