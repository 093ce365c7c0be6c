package io.mlguard.core.summary;

import io.mlguard.protocol.DType;
import io.mlguard.protocol.Records;
import io.mlguard.protocol.TensorSummary;
import java.nio.Buffer;

/**
 * Folds a tensor into a {@link TensorSummary}: min, max, mean, standard deviation, NaN and Inf
 * counts, zero fraction and L2 norm, and for classifier outputs the top-k classes, margin and
 * entropy of the first row. Class loader: agent.
 *
 * <p>Cost is bounded: a tensor of more than {@code maxElements} elements is read at {@code
 * maxElements} fixed, evenly spaced positions, so that similar inputs still give similar summaries.
 * Allocates nothing.
 */
public final class TensorSummarizer {
    private final int maxElements;
    private final int topK;

    /** For the public methods, which are handed a buffer; {@link Summaries} passes its own. */
    private final TensorData scratch;

    public TensorSummarizer(int maxElements, int topK) {
        this.maxElements = maxElements;
        this.topK = Math.min(topK, Records.MAX_TOP_K);
        this.scratch = newData();
    }

    /** A reusable view for this summarizer's tensors: copies only what it reads in full. */
    TensorData newData() {
        return new TensorData(maxElements);
    }

    /**
     * Summarises {@code count} elements of type {@code dtype} in {@code data} (little-endian,
     * absolute positions from 0). {@code out}'s name, dtype and shape are set by the caller.
     */
    public void summarize(Buffer data, DType dtype, long count, TensorSummary out) {
        try {
            summarize(scratch.of(data, dtype, count), count, out);
        } finally {
            scratch.release();
        }
    }

    /** As {@link #summarize(Buffer, DType, long, TensorSummary)}, from data already in view. */
    void summarize(TensorData data, long count, TensorSummary out) {
        out.count = count;
        DType dtype = data.dtype();
        if (!dtype.isNumeric() || count <= 0 || !data.present()) {
            return;
        }
        long available = data.available();
        long n = Math.min(count, available);
        long step = n <= maxElements ? 1 : (n + maxElements - 1) / maxElements;
        if (step == 1 && n <= data.copied() && summarizeAll(data.dense(), (int) n, out)) {
            return; // all finite: else the loop below, which tests each element, reads them again
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        // four partial sums of each, by the reading order modulo 4 (see summarizeAll)
        double sum0 = 0;
        double sum1 = 0;
        double sum2 = 0;
        double sum3 = 0;
        double sq0 = 0;
        double sq1 = 0;
        double sq2 = 0;
        double sq3 = 0;
        long finite = 0;
        long nan = 0;
        long inf = 0;
        long zeros = 0;
        long read = 0;
        for (long stratum = 0; stratum * step < n; stratum++) {
            long i = stratum * step + (step == 1 ? 0 : offset(stratum, step));
            if (i >= n) {
                i = n - 1;
            }
            double v = data.get(i);
            int lane = (int) (read & 3);
            read++;
            if (Double.isNaN(v)) {
                nan++;
                continue;
            }
            if (Double.isInfinite(v)) {
                inf++;
                continue;
            }
            finite++;
            min = lower(v, min);
            max = higher(v, max);
            if (v == 0) {
                zeros++;
            }
            switch (lane) {
                case 0:
                    sum0 += v;
                    sq0 += v * v;
                    break;
                case 1:
                    sum1 += v;
                    sq1 += v * v;
                    break;
                case 2:
                    sum2 += v;
                    sq2 += v * v;
                    break;
                default:
                    sum3 += v;
                    sq3 += v * v;
            }
        }
        double sum = (sum0 + sum1) + (sum2 + sum3);
        double sumSq = (sq0 + sq1) + (sq2 + sq3);
        out.nanCount = nan;
        out.infCount = inf;
        finish(out, read, finite, min, max, sum, sumSq, zeros, (double) n / read);
    }

    /**
     * Writes the statistics of {@code read} elements read, {@code finite} of them finite (NaN and
     * infinity counts are the caller's); {@code scale} is the tensor's elements per element read,
     * for the norm of the whole tensor, estimated from the sample when sampled.
     */
    private static void finish(
            TensorSummary out,
            long read,
            long finite,
            double min,
            double max,
            double sum,
            double sumSq,
            long zeros,
            double scale) {
        out.sampled = read;
        if (finite > 0) {
            double mean = sum / finite;
            out.min = min;
            out.max = max;
            out.mean = mean;
            out.std = Math.sqrt(Math.max(0, sumSq / finite - mean * mean));
            out.zeroFraction = (float) zeros / read;
            out.l2Norm = Math.sqrt(sumSq * scale);
        } else {
            out.min = Double.NaN;
            out.max = Double.NaN;
            out.mean = Double.NaN;
            out.std = Double.NaN;
        }
    }

    /**
     * The statistics of {@code a[0..n)}: the loop of {@link #summarize(TensorData, long,
     * TensorSummary)} for a tensor read in full and copied, element for element in the same order
     * and into the same partial sums, so the results come out bit for bit the same.
     *
     * <p>The sums are kept in four partial sums each, element {@code i} going to sum {@code i % 4}:
     * one running sum is a chain of dependent additions, each waiting for the last (four cycles or
     * so), which made this loop most of the cost of summarising an MNIST digit; four chains run
     * side by side. The result differs from one running sum only by rounding.
     *
     * <p>No element is tested for NaN or infinity here (summarising a sentence embedding's 6,912
     * hidden values, their copy included, took 11.5 us with the tests and 8.7 us without, the two
     * taking turns in one JVM on this project's VMs). None is needed: the square of any finite
     * float is finite as a double, and so is the sum of 2^31 of them, while a NaN or an infinity
     * makes the sum of squares NaN or infinite. Then this returns false, writing nothing, and the
     * caller's loop, which tests each element, reads them again.
     */
    private static boolean summarizeAll(float[] a, int n, TensorSummary out) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double sum0 = 0;
        double sum1 = 0;
        double sum2 = 0;
        double sum3 = 0;
        double sq0 = 0;
        double sq1 = 0;
        double sq2 = 0;
        double sq3 = 0;
        long zeros = 0;
        int whole = n & ~3;
        int i = 0;
        for (; i < whole; i += 4) {
            double v0 = a[i];
            double v1 = a[i + 1];
            double v2 = a[i + 2];
            double v3 = a[i + 3];
            min = lower(v0, min);
            max = higher(v0, max);
            min = lower(v1, min);
            max = higher(v1, max);
            min = lower(v2, min);
            max = higher(v2, max);
            min = lower(v3, min);
            max = higher(v3, max);
            zeros += (v0 == 0 ? 1 : 0) + (v1 == 0 ? 1 : 0) + (v2 == 0 ? 1 : 0) + (v3 == 0 ? 1 : 0);
            sum0 += v0;
            sum1 += v1;
            sum2 += v2;
            sum3 += v3;
            sq0 += v0 * v0;
            sq1 += v1 * v1;
            sq2 += v2 * v2;
            sq3 += v3 * v3;
        }
        for (; i < n; i++) { // the last n % 4, into sums 0, 1 and 2
            double v = a[i];
            min = lower(v, min);
            max = higher(v, max);
            zeros += v == 0 ? 1 : 0;
            switch (i & 3) {
                case 0:
                    sum0 += v;
                    sq0 += v * v;
                    break;
                case 1:
                    sum1 += v;
                    sq1 += v * v;
                    break;
                default:
                    sum2 += v;
                    sq2 += v * v;
            }
        }
        double sumSq = (sq0 + sq1) + (sq2 + sq3);
        if (!Double.isFinite(sumSq)) {
            return false;
        }
        out.nanCount = 0;
        out.infCount = 0;
        finish(out, n, n, min, max, (sum0 + sum1) + (sum2 + sum3), sumSq, zeros, 1);
        return true;
    }

    /**
     * The lower of {@code v} and {@code min}, {@code min} when they are equal: unlike {@code
     * Math.min}, which orders -0.0 before 0.0, the first of two zeros read stays. Every loop here
     * uses it, so that they agree to the bit.
     */
    private static double lower(double v, double min) {
        return v < min ? v : min;
    }

    /**
     * The higher of {@code v} and {@code max}, {@code max} when they are equal (see {@link
     * #lower}).
     */
    private static double higher(double v, double max) {
        return v > max ? v : max;
    }

    /** A fixed pseudo-random offset in [0, step) for a stratum (Fibonacci hashing). */
    static long offset(long stratum, long step) {
        return ((stratum * 0x9E3779B97F4A7C15L) >>> 33) % step;
    }

    /**
     * Top-k classes, margin and entropy of the first row of a float output whose last dimension has
     * {@code classes} entries. Scores that are not already a probability distribution are read as
     * logits (softmax) for the entropy.
     */
    public void classify(Buffer data, DType dtype, int classes, TensorSummary out) {
        try {
            classify(scratch.of(data, dtype, classes), classes, out);
        } finally {
            scratch.release();
        }
    }

    /** As {@link #classify(Buffer, DType, int, TensorSummary)}, from data already in view. */
    void classify(TensorData data, int classes, TensorSummary out) {
        DType dtype = data.dtype();
        if ((dtype != DType.FLOAT32 && dtype != DType.FLOAT64) || classes < 2 || !data.present()) {
            return;
        }
        if (classes > data.available()) {
            return;
        }
        int k = Math.min(topK, classes);
        double rowMax = Double.NEGATIVE_INFINITY;
        double sum = 0;
        boolean probabilities = true;
        int filled = 0;
        for (int c = 0; c < classes; c++) {
            double v = data.get(c);
            if (!(v >= 0 && v <= 1)) {
                probabilities = false;
            }
            sum += v;
            if (v > rowMax) {
                rowMax = v;
            }
            filled = insertTop(out, filled, k, c, (float) v);
        }
        if (Double.isNaN(sum) || Double.isInfinite(rowMax)) {
            out.topK = filled;
            out.entropy = Float.NaN;
            out.margin = Float.NaN;
            return;
        }
        probabilities &= Math.abs(sum - 1) < 1e-3;
        double entropy = 0;
        double norm = 0;
        if (probabilities) {
            for (int c = 0; c < classes; c++) {
                double p = data.get(c);
                if (p > 0) {
                    entropy -= p * Math.log(p);
                }
            }
        } else {
            // with p = e / norm, e = exp(v - max): H = log(norm) - sum(e (v - max)) / norm; one
            // exponential per class and one logarithm, where p log p took two and one per class
            // (15 us for the 384 values of a sentence embedding's hidden state)
            double weighted = 0;
            for (int c = 0; c < classes; c++) {
                double d = data.get(c) - rowMax;
                double e = Math.exp(d);
                norm += e;
                if (e > 0) { // a -Infinity logit: probability 0, no term (0 * -Infinity is NaN)
                    weighted += e * d;
                }
            }
            entropy = Math.max(0, Math.log(norm) - weighted / norm);
        }
        if (!probabilities) {
            for (int i = 0; i < filled; i++) {
                out.topScores[i] = (float) (Math.exp(out.topScores[i] - rowMax) / norm);
            }
        }
        out.topK = filled;
        out.entropy = (float) entropy;
        out.margin = filled > 1 ? out.topScores[0] - out.topScores[1] : out.topScores[0];
    }

    /** Insertion into the sorted top list; returns the new fill. */
    private static int insertTop(TensorSummary out, int filled, int k, int cls, float score) {
        if (filled == k && score <= out.topScores[k - 1]) {
            return filled;
        }
        int pos = filled < k ? filled : k - 1;
        while (pos > 0 && out.topScores[pos - 1] < score) {
            out.topScores[pos] = out.topScores[pos - 1];
            out.topClasses[pos] = out.topClasses[pos - 1];
            pos--;
        }
        out.topScores[pos] = score;
        out.topClasses[pos] = cls;
        return filled < k ? filled + 1 : filled;
    }
}
