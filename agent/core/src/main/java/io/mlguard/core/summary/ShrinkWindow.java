package io.mlguard.core.summary;

import java.util.function.LongSupplier;

/**
 * When a buffer grown for a burst is halved again, for a capture ring's slots and a stage arena
 * alike: memory comes back once the bursts are over. A window lasts {@link #CAPTURES} captures and
 * a least duration (10 s: a buffer grown for bursts a few seconds apart stays), the clock being
 * read once per {@link #CAPTURES} captures; a buffer never more than a quarter in use at any look
 * during a window is halved at its end. A growth starts a new window. Class loader: agent. Producer
 * only.
 */
public final class ShrinkWindow {
    /** The fewest captures in a window. */
    public static final int CAPTURES = 4096;

    /** A window's least duration by default. */
    public static final long NANOS = 10_000_000_000L;

    private final long minNanos;

    /** The clock; {@code null} for {@link System#nanoTime}. */
    private final LongSupplier clock;

    private long start;
    private int captures;

    /** The most found in use at a look during this window. */
    private long most;

    /**
     * @param minNanos a window's least duration
     * @param clock read for it; {@code null} for {@link System#nanoTime} (tests give their own)
     */
    public ShrinkWindow(long minNanos, LongSupplier clock) {
        this.minNanos = minNanos;
        this.clock = clock;
        this.start = now();
    }

    private long now() {
        return clock == null ? System.nanoTime() : clock.getAsLong();
    }

    /** What a look at the buffer found in use. */
    public void saw(long inUse) {
        if (inUse > most) {
            most = inUse;
        }
    }

    /** Counts a capture; true once a window's captures have passed: time for {@link #endsQuiet}. */
    public boolean due() {
        return ++captures >= CAPTURES;
    }

    /**
     * Whether the window has lasted its least duration, and the buffer, of {@code size}, was never
     * more than a quarter in use in it: the caller halves it. A window that has lasted ends here
     * and the next one starts; one that has not goes on, its captures counted again.
     */
    public boolean endsQuiet(long size) {
        captures = 0;
        long now = now();
        if (now - start < minNanos) {
            return false;
        }
        boolean quiet = most <= size / 4;
        start = now;
        most = 0;
        return quiet;
    }

    /** A growth: a new window starts. */
    public void restart() {
        start = now();
        captures = 0;
        most = 0;
    }
}
