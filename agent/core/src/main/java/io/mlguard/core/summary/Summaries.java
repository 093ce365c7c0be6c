package io.mlguard.core.summary;

import io.mlguard.protocol.DType;
import io.mlguard.protocol.InferenceRecord;
import io.mlguard.protocol.Records;
import io.mlguard.protocol.TensorSummary;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Turns the tensors a {@link io.mlguard.core.RuntimeAdapter} found into the summaries of a record.
 * Class loader: agent. One instance per thread, so the fingerprint scratch space is never shared.
 * Runtimes hand over each tensor as a name, a type, a shape and its data: a little-endian {@link
 * ByteBuffer}, or a typed buffer ({@code FloatBuffer}, ...) that holds the tensor's elements.
 */
public final class Summaries {
    private final TensorSummarizer tensors;
    private final Fingerprinter fingerprints = new Fingerprinter();
    private final TensorData data;
    private final boolean captureFeatures;
    private final int featureLimit;

    public Summaries(TensorSummarizer tensors, boolean captureFeatures, int featureLimit) {
        this.tensors = tensors;
        this.data = tensors.newData();
        this.captureFeatures = captureFeatures;
        this.featureLimit = featureLimit;
    }

    /**
     * Adds an input tensor. The first input also gives the batch size, the fingerprint and, when
     * configured, the feature values of a small tabular row.
     */
    public void input(InferenceRecord r, String name, DType dtype, long[] shape, Buffer data) {
        if (r.inputCount >= Records.MAX_TENSORS) {
            return;
        }
        TensorSummary s = r.inputs[r.inputCount++];
        describe(s, name, dtype, shape);
        long count = count(shape);
        TensorData d = this.data.of(littleEndian(data), dtype, count);
        try {
            tensors.summarize(d, count, s);
            if (r.inputCount == 1) {
                r.batchSize = shape.length > 1 ? shape[0] : 1;
                fingerprints.fingerprint(d, s.shape, s.rank, r);
                if (captureFeatures && d.present() && dtype.isNumeric()) {
                    long row = shape.length > 1 ? count / Math.max(1, shape[0]) : count;
                    if (row <= featureLimit) {
                        for (int i = 0; i < row; i++) {
                            r.features[i] = (float) d.get(i);
                        }
                        r.featureCount = (int) row;
                    }
                }
            }
        } finally {
            d.release();
        }
    }

    /** Adds an output tensor; float outputs with a class dimension also get top-k and entropy. */
    public void output(InferenceRecord r, String name, DType dtype, long[] shape, Buffer data) {
        if (r.outputCount >= Records.MAX_TENSORS) {
            return;
        }
        TensorSummary s = r.outputs[r.outputCount++];
        describe(s, name, dtype, shape);
        long count = count(shape);
        TensorData d = this.data.of(littleEndian(data), dtype, count);
        try {
            tensors.summarize(d, count, s);
            if (shape.length >= 1) {
                long classes = shape[shape.length - 1];
                if (classes >= 2 && classes <= Integer.MAX_VALUE) {
                    tensors.classify(d, (int) classes, s);
                }
            }
        } finally {
            d.release();
        }
    }

    private static Buffer littleEndian(Buffer data) {
        return data instanceof ByteBuffer
                ? ((ByteBuffer) data).order(ByteOrder.LITTLE_ENDIAN)
                : data; // typed views read their elements in their own order
    }

    private static void describe(TensorSummary s, String name, DType dtype, long[] shape) {
        s.name = name;
        s.dtype = dtype;
        s.rank = Math.min(shape.length, Records.MAX_RANK);
        for (int i = 0; i < s.rank; i++) {
            s.shape[i] = shape[i];
        }
    }

    static long count(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= Math.max(0, d);
        }
        return n;
    }
}
