package io.mlguard.collector.detect;

/** Formats the 8-byte SHA-256 prefixes that inference records carry. */
public final class HashPrefix {
    private HashPrefix() {}

    /** 16 lower-case hex digits, as the start of the hex SHA-256 would read. */
    public static String hex(long prefix) {
        String s = Long.toHexString(prefix);
        return "0".repeat(16 - s.length()) + s;
    }
}
