package io.mlguard.core;

import java.util.function.LongSupplier;

/**
 * The wall-clock time of a {@link System#nanoTime} reading, for one thread: the inference's start,
 * which the agent reads anyway for its latency, turned into milliseconds since the epoch without a
 * second clock read per inference (on a virtual machine's clock, each read costs some 30 ns). The
 * thread reads the wall clock again once {@link #ANCHOR_NANOS} has passed since its last reading,
 * so that a clock set or slewed shows within a second; between readings, times are the last reading
 * plus the elapsed monotonic time. Class loader: agent. Not thread-safe: one per thread.
 */
final class WallClock {
    /** How long one wall-clock reading serves. */
    static final long ANCHOR_NANOS = 1_000_000_000L;

    /** The wall clock (System.currentTimeMillis by default; tests give their own). */
    private final LongSupplier millis;

    private long anchorMillis;
    private long anchorNanos;
    private boolean anchored;

    WallClock() {
        this(null);
    }

    WallClock(LongSupplier millis) {
        this.millis = millis;
    }

    /**
     * The wall-clock time, in milliseconds since the epoch, at {@code nanos}, a {@link
     * System#nanoTime} reading; a reading more than a second from the last anchor takes a new one.
     */
    long millisAt(long nanos) {
        long since = nanos - anchorNanos;
        if (!anchored || since >= ANCHOR_NANOS || since < -ANCHOR_NANOS) {
            anchorNanos = System.nanoTime();
            anchorMillis = millis == null ? System.currentTimeMillis() : millis.getAsLong();
            anchored = true;
            since = nanos - anchorNanos;
        }
        return anchorMillis + Math.floorDiv(since, 1_000_000L);
    }
}
