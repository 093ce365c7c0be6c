package io.mlguard.core.queue;

import net.openhft.chronicle.bytes.Bytes;

/**
 * One serving thread's serialised records on their way to the queue: a single-producer,
 * single-consumer ring of bytes. Class loader: agent. Chronicle's own ring buffer is a commercial
 * feature, hence this one, kept to what the writer needs.
 *
 * <p>The producer is the thread that owns the ring; the consumer is whoever holds the ring's
 * monitor (the drainer, or the owner itself when the ring is full and it writes its records in
 * order on its own thread). A record is a 4-byte length and the bytes, padded to 4 so that a length
 * never wraps; the bytes may wrap around the end of the array. The producer publishes a record by a
 * volatile write of {@code tail} after its bytes, the consumer frees its room by a volatile write
 * of {@code head} after it has copied them out.
 */
final class RecordRing {
    private final byte[] buf;
    private final int mask;

    /** Where the producer writes the next record; bytes before it are published. */
    private volatile long tail;

    /** Where the consumer reads the next record; bytes before it are free again. */
    private volatile long head;

    /** The producer's last look at {@code head}: one volatile read per fill, not per record. */
    private long headSeen;

    /** The serving thread that writes into the ring; the drainer forgets it once it has ended. */
    final Thread owner;

    /**
     * @param capacity a power of two, at least 64 bytes
     */
    RecordRing(int capacity, Thread owner) {
        if (capacity < 64 || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity " + capacity + " is not a power of two");
        }
        this.buf = new byte[capacity];
        this.mask = capacity - 1;
        this.owner = owner;
    }

    int capacity() {
        return buf.length;
    }

    /**
     * Copies {@code len} bytes of {@code src} from index 0 in as one record; false if they do not
     * fit now. Producer only.
     */
    boolean offer(byte[] src, int len) {
        if (len > buf.length - 4) {
            return false;
        }
        int need = (int) room(len);
        long t = tail;
        if (need > buf.length - (t - headSeen)) {
            headSeen = head;
            if (need > buf.length - (t - headSeen)) {
                return false;
            }
        }
        int at = (int) t & mask;
        putInt(at, len);
        int start = (at + 4) & mask;
        int first = Math.min(len, buf.length - start);
        System.arraycopy(src, 0, buf, start, first);
        if (first < len) {
            System.arraycopy(src, first, buf, 0, len - first);
        }
        tail = t + need;
        return true;
    }

    /** The room a record of {@code length} bytes takes in a ring. */
    static long room(long length) {
        return 4 + ((length + 3) & ~3L);
    }

    /** The free bytes; exact for the consumer, a lower bound for anyone else. */
    long free() {
        return buf.length - (tail - head);
    }

    /** Whether no record waits; from any thread. */
    boolean isEmpty() {
        return head == tail;
    }

    /** The length of the oldest record, or -1 if none waits. Consumer only. */
    int nextLength() {
        long h = head;
        return h == tail ? -1 : getInt((int) h & mask);
    }

    /**
     * Appends the oldest record ({@link #nextLength} bytes) to {@code out}, or drops it if {@code
     * out} is null, and frees its room. Consumer only, after {@link #nextLength} saw it.
     */
    void take(Bytes<?> out) {
        long h = head;
        int at = (int) h & mask;
        int len = getInt(at);
        if (out != null) {
            int start = (at + 4) & mask;
            int first = Math.min(len, buf.length - start);
            out.write(buf, start, first);
            if (first < len) {
                out.write(buf, 0, len - first);
            }
        }
        head = h + room(len);
    }

    private void putInt(int at, int v) {
        buf[at] = (byte) v;
        buf[at + 1] = (byte) (v >>> 8);
        buf[at + 2] = (byte) (v >>> 16);
        buf[at + 3] = (byte) (v >>> 24);
    }

    private int getInt(int at) {
        return (buf[at] & 0xff)
                | (buf[at + 1] & 0xff) << 8
                | (buf[at + 2] & 0xff) << 16
                | (buf[at + 3] & 0xff) << 24;
    }
}
