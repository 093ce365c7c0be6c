package io.mlguard.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import net.openhft.chronicle.bytes.BytesIn;

/**
 * The strings a reader decoded lately, found again by their encoded bytes: model ids, runtimes,
 * agent ids, request paths, tensor names and most client ids repeat from record to record, and a
 * hit costs a hash and a compare of a few bytes instead of a UTF-8 decode and an intern.
 *
 * <p>Direct-mapped with {@link #SLOTS} entries of at most {@link #MAX_BYTES} bytes, so its memory
 * is fixed (about 300 kB) whatever the traffic: a string that misses evicts the one in its slot.
 * Only a hit's bytes are ever compared. A miss of ASCII bytes (client ids, mostly: under many
 * clients most misses are theirs) is made from the bytes already read, one character per byte, the
 * same string any UTF-8 reader returns; any other miss is decoded by {@link Records#readString}
 * itself, so a string is the very one (checks included) that the plain reader would have returned.
 * Not thread-safe: one per reader.
 */
final class StringCache {
    static final int SLOTS = 4096;
    static final int MAX_BYTES = 64;

    private final byte[] keys = new byte[SLOTS * MAX_BYTES];
    private final int[] lengths = new int[SLOTS];
    private final String[] values = new String[SLOTS];
    private final byte[] scratch = new byte[MAX_BYTES];
    private long hits;

    StringCache() {
        Arrays.fill(lengths, -1);
    }

    /** As {@link Records#readString}: a stop-bit length in bytes, then UTF-8; null allowed. */
    String read(BytesIn<?> in, String field) {
        long start = in.readPosition();
        long len = in.readStopBit();
        if (len < 0 || len > MAX_BYTES || len > in.readRemaining()) {
            in.readPosition(start);
            return Records.readString(in, field); // null, too long to keep, or truncated
        }
        int n = (int) len;
        in.read(scratch, 0, n);
        int slot = slot(scratch, n);
        int base = slot * MAX_BYTES;
        if (lengths[slot] == n && Arrays.equals(keys, base, base + n, scratch, 0, n)) {
            hits++;
            return values[slot];
        }
        String s;
        if (ascii(scratch, n)) {
            // one byte per character in UTF-8, whichever decoder reads it: make the string from
            // the bytes already read instead of reading them again through readUtf8
            s = new String(scratch, 0, n, StandardCharsets.ISO_8859_1);
        } else {
            in.readPosition(start);
            s = Records.readString(in, field);
        }
        System.arraycopy(scratch, 0, keys, base, n);
        lengths[slot] = n;
        values[slot] = s;
        return s;
    }

    /**
     * As {@link #read(BytesIn, String)}, for the {@code n} bytes of a string at {@code b[off]} (the
     * length already read): the same string, from the cache on a hit; on a miss the string when its
     * bytes are ASCII, else null (the caller decodes it the plain way).
     */
    String read(byte[] b, int off, int n) {
        if (n > MAX_BYTES) {
            return ascii(b, off, n) ? new String(b, off, n, StandardCharsets.ISO_8859_1) : null;
        }
        int slot = slot(b, off, n);
        int base = slot * MAX_BYTES;
        if (lengths[slot] == n && Arrays.equals(keys, base, base + n, b, off, off + n)) {
            hits++;
            return values[slot];
        }
        if (!ascii(b, off, n)) {
            return null;
        }
        String s = new String(b, off, n, StandardCharsets.ISO_8859_1);
        System.arraycopy(b, off, keys, base, n);
        lengths[slot] = n;
        values[slot] = s;
        return s;
    }

    private static boolean ascii(byte[] b, int n) {
        return ascii(b, 0, n);
    }

    static boolean ascii(byte[] b, int off, int n) {
        for (int i = off; i < off + n; i++) {
            if (b[i] < 0) {
                return false;
            }
        }
        return true;
    }

    private static int slot(byte[] b, int n) {
        return slot(b, 0, n);
    }

    private static int slot(byte[] b, int off, int n) {
        int h = n;
        for (int i = off; i < off + n; i++) {
            h = 31 * h + b[i];
        }
        h *= 0x9E3779B9; // spread the low bits, which pick the slot
        return (h ^ (h >>> 16)) & (SLOTS - 1);
    }

    /** Strings served from the cache so far. */
    long hits() {
        return hits;
    }
}
