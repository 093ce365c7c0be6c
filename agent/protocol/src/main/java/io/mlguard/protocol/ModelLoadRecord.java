package io.mlguard.protocol;

import net.openhft.chronicle.bytes.BytesIn;
import net.openhft.chronicle.bytes.BytesOut;

/**
 * A model was loaded (or failed to load) by a runtime: where from, the SHA-256 of its bytes and the
 * runtime options, so the collector can tell a substituted model or a changed configuration.
 *
 * <p>Body layout after the {@link Records} envelope, version 1: {@code i64 timestampMillis, i64
 * loadNanos, str agentId, str runtime, str modelId, str source, str sha256, i64 sizeBytes, u8
 * outcome, str errorType, str options, str metadata}.
 */
public final class ModelLoadRecord {
    public long timestampMillis;
    public long loadNanos;
    public String agentId;
    public String runtime;
    public String modelId;

    /** The file path, or a description such as {@code <bytes>} for models loaded from memory. */
    public String source;

    /** Lower-case hex SHA-256 of the model bytes (of all files, in name order, for a directory). */
    public String sha256;

    public long sizeBytes;
    public Outcome outcome = Outcome.OK;
    public String errorType;

    /** Runtime options in a stable {@code key=value;...} form, sorted by key. */
    public String options;

    /** What the model says of itself (graph name, producer, version), in the same form. */
    public String metadata;

    public void writeTo(BytesOut<?> out) {
        Records.writeHeader(out, RecordType.MODEL_LOAD);
        out.writeLong(timestampMillis);
        out.writeLong(loadNanos);
        Records.writeString(out, agentId);
        Records.writeString(out, runtime);
        Records.writeString(out, modelId);
        Records.writeString(out, source);
        Records.writeString(out, sha256);
        out.writeLong(sizeBytes);
        out.writeUnsignedByte(outcome.ordinal());
        Records.writeString(out, errorType);
        Records.writeString(out, options);
        Records.writeString(out, metadata);
    }

    void readBody(BytesIn<?> in) {
        timestampMillis = in.readLong();
        loadNanos = in.readLong();
        agentId = Records.readString(in, "agentId");
        runtime = Records.readString(in, "runtime");
        modelId = Records.readString(in, "modelId");
        source = Records.readString(in, "source");
        sha256 = Records.readString(in, "sha256");
        sizeBytes = in.readLong();
        outcome = Outcome.ofCode(in.readUnsignedByte());
        errorType = Records.readString(in, "errorType");
        options = Records.readString(in, "options");
        metadata = Records.readString(in, "metadata");
    }

    /** The first 8 bytes of {@link #sha256} as a number, as inference records carry it. */
    public long hashPrefix() {
        return hashPrefix(sha256);
    }

    /** The first 8 bytes of a hex SHA-256 as a number; 0 for null or a malformed value. */
    public static long hashPrefix(String sha256Hex) {
        if (sha256Hex == null || sha256Hex.length() < 16) {
            return 0;
        }
        try {
            return Long.parseUnsignedLong(sha256Hex.substring(0, 16), 16);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    @Override
    public String toString() {
        return "ModelLoadRecord{model="
                + modelId
                + ", source="
                + source
                + ", sha256="
                + sha256
                + ", outcome="
                + outcome
                + ", options="
                + options
                + "}";
    }
}
