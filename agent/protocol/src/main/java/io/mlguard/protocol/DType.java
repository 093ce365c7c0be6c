package io.mlguard.protocol;

/** Element types of a tensor, with the stable one-byte code written to the queue. */
public enum DType {
    UNKNOWN(0),
    FLOAT32(1),
    FLOAT64(2),
    INT8(3),
    UINT8(4),
    INT16(5),
    INT32(6),
    INT64(7),
    BOOL(8),
    STRING(9),
    FLOAT16(10),
    BFLOAT16(11);

    private static final DType[] BY_CODE = new DType[12];

    static {
        for (DType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    private final byte code;

    DType(int code) {
        this.code = (byte) code;
    }

    public byte code() {
        return code;
    }

    /** Decodes a code; unknown codes (from a newer agent) read as {@link #UNKNOWN}. */
    public static DType ofCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : UNKNOWN;
    }

    /** Whether values of this type are summarised numerically. */
    public boolean isNumeric() {
        return this != UNKNOWN && this != STRING;
    }
}
