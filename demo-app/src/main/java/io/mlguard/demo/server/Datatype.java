package io.mlguard.demo.server;

import ai.onnxruntime.OnnxJavaType;
import java.util.Locale;

/** Tensor datatypes of the Open Inference Protocol, with their ONNX Runtime counterparts. */
public enum Datatype {
    /** 32-bit float. */
    FP32(OnnxJavaType.FLOAT),
    /** 64-bit float. */
    FP64(OnnxJavaType.DOUBLE),
    /** 32-bit signed integer. */
    INT32(OnnxJavaType.INT32),
    /** 64-bit signed integer. */
    INT64(OnnxJavaType.INT64),
    /** 8-bit signed integer (metadata only). */
    INT8(OnnxJavaType.INT8),
    /** 8-bit unsigned integer (metadata only). */
    UINT8(OnnxJavaType.UINT8),
    /** 16-bit signed integer (metadata only). */
    INT16(OnnxJavaType.INT16),
    /** 16-bit float (metadata only). */
    FP16(OnnxJavaType.FLOAT16),
    /** Boolean (metadata only). */
    BOOL(OnnxJavaType.BOOL),
    /** Strings (metadata only). */
    BYTES(OnnxJavaType.STRING);

    private final OnnxJavaType onnxType;

    Datatype(OnnxJavaType onnxType) {
        this.onnxType = onnxType;
    }

    /** Whether the server can turn JSON data into, or out of, a tensor of this type. */
    public boolean supportedForData() {
        return this == FP32 || this == FP64 || this == INT32 || this == INT64;
    }

    /** The protocol datatype of an ONNX Runtime type, or {@code null} if it has none. */
    public static Datatype of(OnnxJavaType type) {
        for (Datatype d : values()) {
            if (d.onnxType == type) {
                return d;
            }
        }
        return null;
    }

    /** Parses a client-supplied datatype name; {@code null} if unknown. */
    public static Datatype parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
