package io.mlguard.protocol;

import java.util.Arrays;
import net.openhft.chronicle.bytes.BytesIn;
import net.openhft.chronicle.bytes.BytesOut;

/**
 * The summary of one inference call, as the agent writes it. Mutable and reusable: the agent keeps
 * one per thread and overwrites it, so the hot path allocates nothing.
 *
 * <p>Body layout after the {@link Records} envelope, version 1: {@code i64 timestampMillis, i64
 * latencyNanos, str agentId, str runtime, str modelId, i64 modelHashPrefix, u8 outcome, str
 * errorType, u8 clientIdSource, str clientId, str requestPath, str traceId, str spanId, i64
 * batchSize, u16 nInputs, TensorSummary*, u16 nOutputs, TensorSummary*, u8 fingerprintKind, u16
 * fingerprintLength, u8*, u16 featureCount, f32*}. Strings are Chronicle stop-bit UTF-8, null
 * allowed.
 */
public final class InferenceRecord {
    /** Fingerprint kinds. */
    public static final int FINGERPRINT_NONE = 0;

    /** An 8 by 8 average-pooled thumbnail of a 2-D input, each cell quantised to a byte. */
    public static final int FINGERPRINT_POOLED_2D = 1;

    /** 64 average-pooled segments of a flat input, each quantised to a byte. */
    public static final int FINGERPRINT_POOLED_1D = 2;

    public long timestampMillis;
    public long latencyNanos;
    public String agentId;
    public String runtime;
    public String modelId;

    /** The first 8 bytes of the model's SHA-256, big-endian; 0 when unknown. */
    public long modelHashPrefix;

    public Outcome outcome = Outcome.OK;
    public String errorType;
    public ClientIdSource clientIdSource = ClientIdSource.NONE;
    public String clientId;
    public String requestPath;
    public String traceId;
    public String spanId;
    public long batchSize;

    public int inputCount;
    public final TensorSummary[] inputs = newSummaries();
    public int outputCount;
    public final TensorSummary[] outputs = newSummaries();

    public int fingerprintKind = FINGERPRINT_NONE;
    public int fingerprintLength;
    public final byte[] fingerprint = new byte[Records.MAX_FINGERPRINT];

    /** Raw feature values of a small tabular input, only when the agent is configured to. */
    public int featureCount;

    public final float[] features = new float[Records.MAX_FEATURES];

    /**
     * Set by {@link Records#read(BytesIn, InferenceRecord)} on a record that is read into again and
     * again: its strings repeat.
     */
    StringCache strings;

    /** Set with {@link #strings}: decodes the body from one copy of its bytes. */
    BodyCopyReader copyReader;

    private static TensorSummary[] newSummaries() {
        TensorSummary[] a = new TensorSummary[Records.MAX_TENSORS];
        for (int i = 0; i < a.length; i++) {
            a[i] = new TensorSummary();
        }
        return a;
    }

    /** Resets the record for reuse. */
    public void clear() {
        timestampMillis = 0;
        latencyNanos = 0;
        agentId = null;
        runtime = null;
        modelId = null;
        modelHashPrefix = 0;
        outcome = Outcome.OK;
        errorType = null;
        clientIdSource = ClientIdSource.NONE;
        clientId = null;
        requestPath = null;
        traceId = null;
        spanId = null;
        batchSize = 0;
        for (int i = 0; i < inputCount; i++) {
            inputs[i].clear();
        }
        for (int i = 0; i < outputCount; i++) {
            outputs[i].clear();
        }
        inputCount = 0;
        outputCount = 0;
        fingerprintKind = FINGERPRINT_NONE;
        fingerprintLength = 0;
        featureCount = 0;
    }

    /**
     * Writes the envelope and the body: the reference encoding, which the readers mirror. The agent
     * writes the same bytes with {@link RecordEncoder}, into an array (RecordEncoderTest holds the
     * two together).
     */
    public void writeTo(BytesOut<?> out) {
        Records.writeHeader(out, RecordType.INFERENCE);
        out.writeLong(timestampMillis);
        out.writeLong(latencyNanos);
        Records.writeString(out, agentId);
        Records.writeString(out, runtime);
        Records.writeString(out, modelId);
        out.writeLong(modelHashPrefix);
        out.writeUnsignedByte(outcome.ordinal());
        Records.writeString(out, errorType);
        out.writeUnsignedByte(clientIdSource.ordinal());
        Records.writeString(out, clientId);
        Records.writeString(out, requestPath);
        Records.writeString(out, traceId);
        Records.writeString(out, spanId);
        out.writeLong(batchSize);
        Records.writeCount(out, inputCount);
        for (int i = 0; i < inputCount; i++) {
            inputs[i].write(out);
        }
        Records.writeCount(out, outputCount);
        for (int i = 0; i < outputCount; i++) {
            outputs[i].write(out);
        }
        out.writeUnsignedByte(fingerprintKind);
        Records.writeCount(out, fingerprintLength);
        out.write(fingerprint, 0, fingerprintLength);
        Records.writeCount(out, featureCount);
        for (int i = 0; i < featureCount; i++) {
            out.writeFloat(features[i]);
        }
    }

    void readBody(BytesIn<?> in) {
        timestampMillis = in.readLong();
        latencyNanos = in.readLong();
        agentId = readString(in, "agentId");
        runtime = readString(in, "runtime");
        modelId = readString(in, "modelId");
        modelHashPrefix = in.readLong();
        outcome = Outcome.ofCode(in.readUnsignedByte());
        errorType = readString(in, "errorType");
        clientIdSource = ClientIdSource.ofCode(in.readUnsignedByte());
        clientId = readString(in, "clientId");
        requestPath = readString(in, "requestPath");
        // ids of one request each: they would only evict strings that do repeat
        traceId = Records.readString(in, "traceId");
        spanId = Records.readString(in, "spanId");
        batchSize = in.readLong();
        inputCount = Records.readCount(in, Records.MAX_TENSORS, "input tensor");
        for (int i = 0; i < inputCount; i++) {
            inputs[i].read(in, strings);
        }
        outputCount = Records.readCount(in, Records.MAX_TENSORS, "output tensor");
        for (int i = 0; i < outputCount; i++) {
            outputs[i].read(in, strings);
        }
        fingerprintKind = in.readUnsignedByte();
        fingerprintLength = Records.readCount(in, Records.MAX_FINGERPRINT, "fingerprint byte");
        if (in.readRemaining() < fingerprintLength) {
            throw new RecordFormatException(
                    "truncated inference record: fingerprint needs "
                            + fingerprintLength
                            + " bytes, "
                            + in.readRemaining()
                            + " left");
        }
        in.read(fingerprint, 0, fingerprintLength);
        featureCount = Records.readCount(in, Records.MAX_FEATURES, "feature");
        for (int i = 0; i < featureCount; i++) {
            features[i] = in.readFloat();
        }
    }

    private String readString(BytesIn<?> in, String field) {
        return strings != null ? strings.read(in, field) : Records.readString(in, field);
    }

    /** The fingerprint as a new array of its length. */
    public byte[] fingerprint() {
        return Arrays.copyOf(fingerprint, fingerprintLength);
    }

    /** The captured feature values as a new array. */
    public float[] features() {
        return Arrays.copyOf(features, featureCount);
    }

    @Override
    public String toString() {
        return "InferenceRecord{model="
                + modelId
                + ", runtime="
                + runtime
                + ", client="
                + clientId
                + ", outcome="
                + outcome
                + ", latencyNanos="
                + latencyNanos
                + ", inputs="
                + Arrays.toString(Arrays.copyOf(inputs, inputCount))
                + ", outputs="
                + Arrays.toString(Arrays.copyOf(outputs, outputCount))
                + "}";
    }
}
