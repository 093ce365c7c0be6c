package io.mlguard.collector.ingest;

import io.mlguard.protocol.RecordFormatException;

/** Sorts a {@link RecordFormatException} into a small, stable set of counter names. */
final class MalformedReason {
    private MalformedReason() {}

    static String of(RecordFormatException e) {
        String m = e.getMessage() == null ? "" : e.getMessage();
        if (m.startsWith("unsupported record schema version")) {
            return "unsupported_version";
        }
        if (m.startsWith("not an mlguard record")) {
            return "bad_magic";
        }
        if (m.startsWith("unknown record type")) {
            return "unknown_type";
        }
        if (m.contains("truncated")) {
            return "truncated";
        }
        if (m.contains("exceeds") || m.contains("more than")) {
            return "out_of_bounds";
        }
        if (m.startsWith("unknown")) {
            return "unknown_code";
        }
        return "other";
    }
}
