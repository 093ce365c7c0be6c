package io.mlguard.core.summary;

import io.mlguard.protocol.DType;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;

/**
 * Reads element {@code i} of a tensor's data as a double, whatever its type. Class loader: agent.
 * Runtimes hand the agent a {@link ByteBuffer} in native (little-endian) order, or a typed buffer
 * of the tensor's elements, so one reader serves them all; absolute reads never move the buffer.
 */
public final class Elements {
    private Elements() {}

    /** Bytes per element; 0 for types that are not summarised numerically. */
    public static int width(DType t) {
        switch (t) {
            case FLOAT64:
            case INT64:
                return 8;
            case FLOAT32:
            case INT32:
                return 4;
            case INT16:
            case FLOAT16:
            case BFLOAT16:
                return 2;
            case INT8:
            case UINT8:
            case BOOL:
                return 1;
            default:
                return 0;
        }
    }

    /**
     * How many elements of type {@code t} a tensor's data holds: up to its limit, which absolute
     * reads may not pass (a view the agent points at a tensor has a larger capacity).
     */
    public static long count(Buffer b, DType t) {
        return b instanceof ByteBuffer ? b.limit() / Math.max(1, width(t)) : b.limit();
    }

    /**
     * Whether {@code b} is a typed buffer that holds elements of type {@code t} ({@code
     * FloatBuffer} for float32, ...), as ONNX Runtime keeps the inputs it copied.
     */
    public static boolean holdsElementsOf(Buffer b, DType t) {
        switch (t) {
            case FLOAT32:
                return b instanceof FloatBuffer;
            case FLOAT64:
                return b instanceof DoubleBuffer;
            case INT16:
            case FLOAT16:
            case BFLOAT16:
                return b instanceof ShortBuffer;
            case INT32:
                return b instanceof IntBuffer;
            case INT64:
                return b instanceof LongBuffer;
            default:
                return false;
        }
    }

    /** Element {@code i} of a little-endian {@link ByteBuffer} or of a typed buffer. */
    public static double get(Buffer b, DType t, long i) {
        if (b instanceof ByteBuffer) {
            return get((ByteBuffer) b, t, i);
        }
        int index = (int) i;
        switch (t) {
            case FLOAT32:
                return ((FloatBuffer) b).get(index);
            case FLOAT64:
                return ((DoubleBuffer) b).get(index);
            case INT16:
                return ((ShortBuffer) b).get(index);
            case INT32:
                return ((IntBuffer) b).get(index);
            case INT64:
                return ((LongBuffer) b).get(index);
            case FLOAT16:
                return halfToFloat(((ShortBuffer) b).get(index));
            case BFLOAT16:
                return Float.intBitsToFloat((((ShortBuffer) b).get(index) & 0xffff) << 16);
            default:
                return Double.NaN;
        }
    }

    public static double get(ByteBuffer b, DType t, long i) {
        int index = (int) i;
        switch (t) {
            case FLOAT32:
                return b.getFloat(index << 2);
            case FLOAT64:
                return b.getDouble(index << 3);
            case INT8:
                return b.get(index);
            case UINT8:
                return b.get(index) & 0xff;
            case BOOL:
                return b.get(index) != 0 ? 1 : 0;
            case INT16:
                return b.getShort(index << 1);
            case INT32:
                return b.getInt(index << 2);
            case INT64:
                return b.getLong(index << 3);
            case FLOAT16:
                return halfToFloat(b.getShort(index << 1));
            case BFLOAT16:
                return Float.intBitsToFloat((b.getShort(index << 1) & 0xffff) << 16);
            default:
                return Double.NaN;
        }
    }

    /** IEEE 754 binary16 to float (Float.float16ToFloat exists only from JDK 20). */
    static float halfToFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1f;
        int mant = bits & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            if (mant == 0) {
                return Float.intBitsToFloat(sign);
            }
            float v = mant / 1024f / 16384f;
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }
}
