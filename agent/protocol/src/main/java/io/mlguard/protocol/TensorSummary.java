package io.mlguard.protocol;

import java.util.Arrays;
import net.openhft.chronicle.bytes.BytesIn;
import net.openhft.chronicle.bytes.BytesOut;

/**
 * Fixed-size statistics of one input or output tensor of an inference. Instances are mutable and
 * reused by the agent, so that summarising a call allocates nothing.
 *
 * <p>Statistics cover the elements that were read: all of them, or, for tensors larger than the
 * agent's sampling limit, {@link #sampled} elements at fixed positions.
 */
public final class TensorSummary {
    public String name;
    public DType dtype = DType.UNKNOWN;
    public int rank;
    public final long[] shape = new long[Records.MAX_RANK];

    /** Number of elements in the tensor. */
    public long count;

    /** Number of elements read to compute the statistics ({@code == count} unless sampled). */
    public long sampled;

    public double min;
    public double max;
    public double mean;
    public double std;
    public long nanCount;
    public long infCount;
    public float zeroFraction;
    public double l2Norm;

    /** Top-k classes of the first row of a classifier output; 0 for inputs. */
    public int topK;

    public final int[] topClasses = new int[Records.MAX_TOP_K];
    public final float[] topScores = new float[Records.MAX_TOP_K];

    /** Difference between the two highest scores of the first row. */
    public float margin;

    /** Shannon entropy (nats) of the first row, read as a probability distribution. */
    public float entropy;

    /** Resets every field so that the instance can be reused. */
    public void clear() {
        name = null;
        dtype = DType.UNKNOWN;
        rank = 0;
        count = 0;
        sampled = 0;
        min = 0;
        max = 0;
        mean = 0;
        std = 0;
        nanCount = 0;
        infCount = 0;
        zeroFraction = 0;
        l2Norm = 0;
        topK = 0;
        margin = 0;
        entropy = 0;
    }

    /**
     * Describes a {@code rows} by {@code columns} tensor read in full: name, dtype, rank 2, shape,
     * count and sampled (for tools and tests that build records; the agent sets the fields as it
     * reads a tensor).
     */
    public TensorSummary matrix(String name, DType dtype, long rows, long columns) {
        this.name = name;
        this.dtype = dtype;
        rank = 2;
        shape[0] = rows;
        shape[1] = columns;
        count = rows * columns;
        sampled = count;
        return this;
    }

    /** The shape as a new array (for readers; the agent uses the fields). */
    public long[] shape() {
        return Arrays.copyOf(shape, rank);
    }

    void write(BytesOut<?> out) {
        Records.writeString(out, name);
        out.writeByte(dtype.code());
        out.writeUnsignedByte(rank);
        for (int i = 0; i < rank; i++) {
            out.writeLong(shape[i]);
        }
        out.writeLong(count);
        out.writeLong(sampled);
        out.writeDouble(min);
        out.writeDouble(max);
        out.writeDouble(mean);
        out.writeDouble(std);
        out.writeLong(nanCount);
        out.writeLong(infCount);
        out.writeFloat(zeroFraction);
        out.writeDouble(l2Norm);
        out.writeUnsignedByte(topK);
        for (int i = 0; i < topK; i++) {
            out.writeInt(topClasses[i]);
            out.writeFloat(topScores[i]);
        }
        out.writeFloat(margin);
        out.writeFloat(entropy);
    }

    /** Reads what {@link #write} wrote; strings through {@code strings} when not null. */
    void read(BytesIn<?> in, StringCache strings) {
        name =
                strings != null
                        ? strings.read(in, "tensor name")
                        : Records.readString(in, "tensor name");
        dtype = DType.ofCode(in.readByte());
        rank = in.readUnsignedByte();
        if (rank > Records.MAX_RANK) {
            throw new RecordFormatException("tensor rank " + rank + " exceeds " + Records.MAX_RANK);
        }
        for (int i = 0; i < rank; i++) {
            shape[i] = in.readLong();
        }
        count = in.readLong();
        sampled = in.readLong();
        min = in.readDouble();
        max = in.readDouble();
        mean = in.readDouble();
        std = in.readDouble();
        nanCount = in.readLong();
        infCount = in.readLong();
        zeroFraction = in.readFloat();
        l2Norm = in.readDouble();
        topK = in.readUnsignedByte();
        if (topK > Records.MAX_TOP_K) {
            throw new RecordFormatException("top-k " + topK + " exceeds " + Records.MAX_TOP_K);
        }
        for (int i = 0; i < topK; i++) {
            topClasses[i] = in.readInt();
            topScores[i] = in.readFloat();
        }
        margin = in.readFloat();
        entropy = in.readFloat();
    }

    @Override
    public String toString() {
        return name
                + ":"
                + dtype
                + Arrays.toString(shape())
                + " n="
                + count
                + " min="
                + min
                + " max="
                + max
                + " mean="
                + mean
                + " std="
                + std
                + " nan="
                + nanCount
                + " inf="
                + infCount
                + (topK > 0 ? " top1=" + topClasses[0] + "@" + topScores[0] : "");
    }
}
