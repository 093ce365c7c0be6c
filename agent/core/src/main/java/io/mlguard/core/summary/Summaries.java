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

    /**
     * Where tensors are copied instead of summarised while {@link #staging}; see {@link
     * #stageInto}.
     */
    private StagingTarget target;

    private boolean staging;

    /** The elements of the tensors given since {@link #resetElements()}, staged or summarised. */
    private long elements;

    /** What {@link #replayRecord} returns; made at the first replay. */
    private InferenceRecord replayRecord;

    /** One tensor's shape at a time, for {@link #replay}. */
    private final long[] shape = new long[StagedTensors.MAX_SHAPE];

    public Summaries(TensorSummarizer tensors, boolean captureFeatures, int featureLimit) {
        this.tensors = tensors;
        this.data = tensors.newData();
        this.captureFeatures = captureFeatures;
        this.featureLimit = featureLimit;
    }

    /**
     * From now on, until called with {@code null}, tensors handed to {@link #input} and {@link
     * #output} are copied into {@code target}'s {@link StagingTarget#current current} capture (a
     * {@link StagedTensors} is its own) instead of summarised; {@link #replay} summarises them
     * later, on any thread. The target is kept after staging ends: it is stored again only when it
     * changes.
     */
    public void stageInto(StagingTarget target) {
        if (target == null) {
            staging = false;
            return;
        }
        if (this.target != target) {
            this.target = target;
        }
        staging = true;
    }

    /**
     * A record to {@link #replay} into, this instance's (which one thread uses at a time): made by
     * the thread that replays, not kept beside a capture ring, whose lines the serving thread
     * writes.
     */
    public InferenceRecord replayRecord() {
        InferenceRecord r = replayRecord;
        if (r == null) {
            r = replayRecord = new InferenceRecord();
        }
        return r;
    }

    /**
     * Summarises the tensors {@code staged} holds into {@code r}, in the order they were handed
     * over: the same record as summarising them when they were.
     */
    public void replay(StagedTensors staged, InferenceRecord r) {
        for (int i = 0; i < staged.size(); i++) {
            long[] shape = staged.shape(i, this.shape);
            int rank = staged.rank(i);
            TensorData d = staged.view(i, this.data);
            try {
                if (staged.isInput(i)) {
                    summarizeInput(r, staged.name(i), staged.dtype(i), shape, rank, d);
                } else {
                    summarizeOutput(r, staged.name(i), staged.dtype(i), shape, rank, d);
                }
            } finally {
                d.release();
            }
        }
    }

    /**
     * Adds an input tensor. The first input also gives the batch size, the fingerprint and, when
     * configured, the feature values of a small tabular row.
     */
    public void input(InferenceRecord r, String name, DType dtype, long[] shape, Buffer data) {
        elements += shape == null ? 0 : count(shape);
        if (staging) {
            target.current().add(true, name, dtype, shape, littleEndian(data));
            return;
        }
        if (r.inputCount >= Records.MAX_TENSORS) {
            return;
        }
        TensorData d = this.data.of(littleEndian(data), dtype, count(shape));
        try {
            summarizeInput(r, name, dtype, shape, shape.length, d);
        } finally {
            d.release();
        }
    }

    private void summarizeInput(
            InferenceRecord r, String name, DType dtype, long[] shape, int rank, TensorData d) {
        if (r.inputCount >= Records.MAX_TENSORS) {
            return;
        }
        TensorSummary s = r.inputs[r.inputCount++];
        describe(s, name, dtype, shape, rank);
        long count = count(shape, rank);
        tensors.summarize(d, count, s);
        if (r.inputCount == 1) {
            r.batchSize = rank > 1 ? shape[0] : 1;
            fingerprints.fingerprint(d, s.shape, s.rank, r);
            if (captureFeatures && d.present() && dtype.isNumeric()) {
                long row = rank > 1 ? count / Math.max(1, shape[0]) : count;
                // not past the data: a staged copy is followed by other tensors' elements
                if (row <= featureLimit && row <= d.available()) {
                    for (int i = 0; i < row; i++) {
                        r.features[i] = (float) d.get(i);
                    }
                    r.featureCount = (int) row;
                }
            }
        }
    }

    /**
     * Adds an output tensor; float outputs of rank 1 or 2 ({@code [classes]}, {@code [batch,
     * classes]}) also get top-k, margin and entropy. The last dimension of a higher rank (a hidden
     * state {@code [1, tokens, 384]}, an image map) is no set of classes.
     */
    public void output(InferenceRecord r, String name, DType dtype, long[] shape, Buffer data) {
        elements += shape == null ? 0 : count(shape);
        if (staging) {
            target.current().add(false, name, dtype, shape, littleEndian(data));
            return;
        }
        if (r.outputCount >= Records.MAX_TENSORS) {
            return;
        }
        TensorData d = this.data.of(littleEndian(data), dtype, count(shape));
        try {
            summarizeOutput(r, name, dtype, shape, shape.length, d);
        } finally {
            d.release();
        }
    }

    private void summarizeOutput(
            InferenceRecord r, String name, DType dtype, long[] shape, int rank, TensorData d) {
        if (r.outputCount >= Records.MAX_TENSORS) {
            return;
        }
        TensorSummary s = r.outputs[r.outputCount++];
        describe(s, name, dtype, shape, rank);
        tensors.summarize(d, count(shape, rank), s);
        if (rank == 1 || rank == 2) {
            long classes = shape[rank - 1];
            if (classes >= 2 && classes <= Integer.MAX_VALUE) {
                tensors.classify(d, (int) classes, s);
            }
        }
    }

    private static Buffer littleEndian(Buffer data) {
        return data instanceof ByteBuffer
                ? ((ByteBuffer) data).order(ByteOrder.LITTLE_ENDIAN)
                : data; // typed views read their elements in their own order
    }

    private static void describe(
            TensorSummary s, String name, DType dtype, long[] shape, int rank) {
        s.name = name;
        s.dtype = dtype;
        s.rank = Math.min(rank, Records.MAX_RANK);
        for (int i = 0; i < s.rank; i++) {
            s.shape[i] = shape[i];
        }
    }

    /** Starts counting the elements of one inference's tensors. */
    public void resetElements() {
        elements = 0;
    }

    /** The elements of the tensors given since {@link #resetElements()}, inputs and outputs. */
    public long elements() {
        return elements;
    }

    static long count(long[] shape) {
        return count(shape, shape.length);
    }

    /** The elements of a tensor of the first {@code rank} dimensions of {@code shape}. */
    static long count(long[] shape, int rank) {
        long n = 1;
        for (int i = 0; i < rank; i++) {
            n *= Math.max(0, shape[i]);
        }
        return n;
    }
}
