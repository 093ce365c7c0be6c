package io.mlguard.protocol;

import java.nio.BufferUnderflowException;
import net.openhft.chronicle.bytes.BytesIn;
import net.openhft.chronicle.bytes.BytesOut;

/**
 * The record envelope: every record starts with the magic {@code 'M','G'}, the schema version and
 * the record type. A reader checks all three before it decodes the body, so a record written by a
 * newer agent, or something that is not an mlguard record at all, is reported rather than misread.
 *
 * <p>Layout of the envelope (big-endian as Chronicle writes it is irrelevant: both sides use the
 * same Bytes calls): {@code u16 magic, u8 schemaVersion, u8 recordType}, then the body.
 */
public final class Records {
    /** {@code 'M','G'}. */
    public static final short MAGIC = 0x4D47;

    /** The schema version this code writes and reads. Bump it on any change to a body layout. */
    public static final int SCHEMA_VERSION = 1;

    /** Upper bounds that protect a reader from hostile or corrupt counts. */
    public static final int MAX_TENSORS = 16;

    public static final int MAX_RANK = 8;
    public static final int MAX_TOP_K = 16;
    public static final int MAX_FINGERPRINT = 256;
    public static final int MAX_FEATURES = 256;
    public static final int MAX_STRING = 4096;

    private Records() {}

    /** Writes the envelope for a record of the given type. */
    public static void writeHeader(BytesOut<?> out, RecordType type) {
        out.writeShort(MAGIC);
        out.writeUnsignedByte(SCHEMA_VERSION);
        out.writeUnsignedByte(type.code());
    }

    /**
     * Reads and checks the envelope.
     *
     * @throws RecordFormatException on a wrong magic, an unsupported version or an unknown type
     */
    public static RecordType readHeader(BytesIn<?> in) {
        if (in.readRemaining() < 4) {
            throw new RecordFormatException(
                    "truncated record: " + in.readRemaining() + " bytes, the header alone needs 4");
        }
        short magic = in.readShort();
        if (magic != MAGIC) {
            throw new RecordFormatException(
                    String.format(
                            "not an mlguard record: magic 0x%04x, expected 0x%04x",
                            magic & 0xffff, MAGIC));
        }
        int version = in.readUnsignedByte();
        if (version != SCHEMA_VERSION) {
            throw new RecordFormatException(
                    "unsupported record schema version "
                            + version
                            + " (this reader understands version "
                            + SCHEMA_VERSION
                            + "); upgrade the collector to read it");
        }
        int code = in.readUnsignedByte();
        RecordType type = RecordType.ofCode(code);
        if (type == null) {
            throw new RecordFormatException("unknown record type " + code);
        }
        return type;
    }

    /**
     * Decodes one whole record into a new object: an {@link InferenceRecord}, a {@link
     * ModelLoadRecord}, a {@link ControlRecord} or an {@link AgentStatsRecord}. Every way a record
     * can be broken ends in a {@link RecordFormatException} with a message that says what was
     * wrong.
     */
    public static Object read(BytesIn<?> in) {
        return read(in, null);
    }

    /**
     * As {@link #read(BytesIn)}, but an inference record is decoded into {@code reuse} (cleared
     * first) when it is not {@code null}: a reader that handles one record at a time allocates no
     * record per read. The caller must not keep {@code reuse} past its handler.
     */
    public static Object read(BytesIn<?> in, InferenceRecord reuse) {
        long start = in.readPosition();
        long size = in.readRemaining();
        RecordType type = readHeader(in);
        try {
            Object record;
            switch (type) {
                case INFERENCE:
                    InferenceRecord ir = reuse != null ? reuse : new InferenceRecord();
                    if (reuse != null && reuse.strings == null) {
                        reuse.strings = new StringCache();
                        reuse.copyReader = new BodyCopyReader(reuse.strings);
                    }
                    ir.clear();
                    if (ir.copyReader == null || !ir.copyReader.read(in, ir)) {
                        ir.clear(); // what the copy reader filled before it gave up
                        ir.readBody(in);
                    }
                    record = ir;
                    break;
                case MODEL_LOAD:
                    ModelLoadRecord mr = new ModelLoadRecord();
                    mr.readBody(in);
                    record = mr;
                    break;
                case CONTROL:
                    ControlRecord cr = new ControlRecord();
                    cr.readBody(in);
                    record = cr;
                    break;
                case AGENT_STATS:
                    AgentStatsRecord sr = new AgentStatsRecord();
                    sr.readBody(in);
                    record = sr;
                    break;
                default:
                    throw new AssertionError(type);
            }
            return record;
        } catch (BufferUnderflowException | IllegalStateException | IllegalArgumentException e) {
            if (e instanceof RecordFormatException) {
                throw (RecordFormatException) e;
            }
            throw new RecordFormatException(
                    "truncated or corrupt "
                            + type.name().toLowerCase(java.util.Locale.ROOT)
                            + " record: failed at byte "
                            + (in.readPosition() - start)
                            + " of "
                            + size
                            + " ("
                            + e.getClass().getSimpleName()
                            + ")",
                    e);
        }
    }

    static String readString(BytesIn<?> in, String field) {
        String s = in.readUtf8();
        if (s != null && s.length() > MAX_STRING) {
            throw new RecordFormatException(
                    field + " is " + s.length() + " characters, more than " + MAX_STRING);
        }
        return s;
    }

    static int readCount(BytesIn<?> in, int max, String field) {
        int n = in.readUnsignedShort();
        if (n > max) {
            throw new RecordFormatException(field + " count " + n + " exceeds " + max);
        }
        return n;
    }

    static void writeCount(BytesOut<?> out, int n) {
        out.writeUnsignedShort(n);
    }

    /** Writes a string no longer than {@link #MAX_STRING}, cutting longer ones. */
    static void writeString(BytesOut<?> out, String s) {
        if (s != null && s.length() > MAX_STRING) {
            out.writeUtf8(s.substring(0, MAX_STRING));
        } else {
            out.writeUtf8(s);
        }
    }
}
