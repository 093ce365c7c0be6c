package io.mlguard.core.summary;

import io.mlguard.protocol.DType;
import io.mlguard.protocol.InferenceRecord;
import java.nio.Buffer;

/**
 * The query fingerprint: a small, fixed-size, quantised thumbnail of an input's first row, such
 * that near-duplicate inputs get near-identical fingerprints. Class loader: agent.
 *
 * <p>Image-like rows (a square number of elements, or [H,W], [C,H,W], [H,W,C] with C up to 4) are
 * average-pooled into an 8 by 8 grid; any other row into 64 segments. Each cell is quantised to a
 * byte relative to the row's own range, so brightness and contrast shifts, the usual small
 * perturbations of a query attack, do not move the fingerprint. Each cell reads at most {@link
 * #SAMPLES_PER_CELL} fixed positions, so cost is bounded for any input size. Allocates nothing: the
 * caller owns the scratch array.
 */
public final class Fingerprinter {
    public static final int GRID = 8;
    public static final int CELLS = GRID * GRID;
    static final int SAMPLES_PER_CELL = 64;

    private final double[] cells = new double[CELLS];

    /** For the public method, which is handed a buffer; {@link Summaries} passes its own. */
    private final TensorData scratch = new TensorData();

    /**
     * Fingerprints the first row of an input.
     *
     * @param shape the input's shape, {@code rank} dimensions, the first being the batch
     * @return the fingerprint kind written to {@code record}
     */
    public int fingerprint(
            Buffer data, DType dtype, long[] shape, int rank, InferenceRecord record) {
        long count = 1;
        for (int i = 0; i < rank; i++) {
            count *= Math.max(0, shape[i]);
        }
        try {
            return fingerprint(scratch.of(data, dtype, count), shape, rank, record);
        } finally {
            scratch.release();
        }
    }

    /** As {@link #fingerprint(Buffer, DType, long[], int, InferenceRecord)}, from data in view. */
    int fingerprint(TensorData data, long[] shape, int rank, InferenceRecord record) {
        record.fingerprintKind = InferenceRecord.FINGERPRINT_NONE;
        record.fingerprintLength = 0;
        DType dtype = data.dtype();
        if (!data.present() || !dtype.isNumeric() || rank < 1) {
            return record.fingerprintKind;
        }
        long row = 1;
        for (int i = 1; i < rank; i++) {
            row *= shape[i];
        }
        if (rank == 1) {
            row = shape[0];
        }
        if (row <= 0 || row > data.available()) {
            return record.fingerprintKind;
        }
        int h = 0;
        int w = 0;
        int c = 1;
        boolean channelsFirst = true;
        if (rank == 2) {
            long side = (long) Math.sqrt((double) row);
            if (side * side == row && side >= GRID) {
                h = (int) side;
                w = (int) side;
            }
        } else if (rank == 3 && shape[1] >= GRID && shape[2] >= GRID) {
            h = (int) shape[1];
            w = (int) shape[2];
        } else if (rank == 4 && shape[1] <= 4 && shape[2] >= GRID && shape[3] >= GRID) {
            c = (int) shape[1];
            h = (int) shape[2];
            w = (int) shape[3];
        } else if (rank == 4 && shape[3] <= 4 && shape[1] >= GRID && shape[2] >= GRID) {
            h = (int) shape[1];
            w = (int) shape[2];
            c = (int) shape[3];
            channelsFirst = false;
        }
        int length;
        if (h > 0) {
            if ((long) c * h * w <= data.copied()) {
                pool2dDense(data.dense(), h, w, c, channelsFirst);
            } else {
                pool2d(data, h, w, c, channelsFirst);
            }
            length = CELLS;
            record.fingerprintKind = InferenceRecord.FINGERPRINT_POOLED_2D;
        } else {
            length = pool1d(data, row);
            record.fingerprintKind = InferenceRecord.FINGERPRINT_POOLED_1D;
        }
        quantize(length, record.fingerprint);
        record.fingerprintLength = length;
        return record.fingerprintKind;
    }

    /**
     * {@link #pool2d} over a copied tensor: the same cells, positions and order of summation, read
     * from the array with int indices.
     */
    private void pool2dDense(float[] a, int h, int w, int c, boolean channelsFirst) {
        for (int gy = 0; gy < GRID; gy++) {
            int y0 = gy * h / GRID;
            int y1 = Math.max(y0 + 1, (gy + 1) * h / GRID);
            int ys = Math.max(1, (y1 - y0) / 8);
            for (int gx = 0; gx < GRID; gx++) {
                int x0 = gx * w / GRID;
                int x1 = Math.max(x0 + 1, (gx + 1) * w / GRID);
                int xs = Math.max(1, (x1 - x0) / 8);
                double sum = 0;
                int n = 0;
                for (int y = y0; y < y1; y += ys) {
                    for (int x = x0; x < x1; x += xs) {
                        for (int ch = 0; ch < c; ch++) {
                            double v =
                                    a[channelsFirst ? (ch * h + y) * w + x : (y * w + x) * c + ch];
                            if (Double.isFinite(v)) {
                                sum += v;
                                n++;
                            }
                        }
                    }
                }
                cells[gy * GRID + gx] = n == 0 ? 0 : sum / n;
            }
        }
    }

    private void pool2d(TensorData data, int h, int w, int c, boolean channelsFirst) {
        for (int gy = 0; gy < GRID; gy++) {
            int y0 = gy * h / GRID;
            int y1 = Math.max(y0 + 1, (gy + 1) * h / GRID);
            int ys = Math.max(1, (y1 - y0) / 8);
            for (int gx = 0; gx < GRID; gx++) {
                int x0 = gx * w / GRID;
                int x1 = Math.max(x0 + 1, (gx + 1) * w / GRID);
                int xs = Math.max(1, (x1 - x0) / 8);
                double sum = 0;
                int n = 0;
                for (int y = y0; y < y1; y += ys) {
                    for (int x = x0; x < x1; x += xs) {
                        for (int ch = 0; ch < c; ch++) {
                            long i =
                                    channelsFirst
                                            ? ((long) ch * h + y) * w + x
                                            : ((long) y * w + x) * c + ch;
                            double v = data.get(i);
                            if (Double.isFinite(v)) {
                                sum += v;
                                n++;
                            }
                        }
                    }
                }
                cells[gy * GRID + gx] = n == 0 ? 0 : sum / n;
            }
        }
    }

    private int pool1d(TensorData data, long row) {
        int segments = (int) Math.min(CELLS, row);
        for (int s = 0; s < segments; s++) {
            long from = s * row / segments;
            long to = Math.max(from + 1, (s + 1) * row / segments);
            long step = Math.max(1, (to - from) / SAMPLES_PER_CELL);
            double sum = 0;
            int n = 0;
            for (long i = from; i < to; i += step) {
                double v = data.get(i);
                if (Double.isFinite(v)) {
                    sum += v;
                    n++;
                }
            }
            cells[s] = n == 0 ? 0 : sum / n;
        }
        return segments;
    }

    /** Cell {@code i} of the last fingerprint before quantisation: for tests. */
    double cell(int i) {
        return cells[i];
    }

    private void quantize(int length, byte[] out) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < length; i++) {
            lo = Math.min(lo, cells[i]);
            hi = Math.max(hi, cells[i]);
        }
        double range = hi - lo;
        for (int i = 0; i < length; i++) {
            int q = range > 0 ? roundHalfUp((cells[i] - lo) / range * 255) : 0;
            out[i] = (byte) q;
        }
    }

    /**
     * {@code (int) Math.round(x)} for {@code 0 <= x < 2^31}, through {@code Math.rint}, which the
     * JIT compiles to one instruction where {@code Math.round} (JDK 17) is a dozen operations on
     * the bits. {@code rint} rounds a tie to the even neighbour, {@code round} up: the one case to
     * mend. {@code x - rint(x)} is exact (the two are within 0.5 of each other), so the tie is
     * found exactly.
     */
    static int roundHalfUp(double x) {
        double r = Math.rint(x);
        return (int) (x - r == 0.5 ? r + 1 : r);
    }
}
