package io.mlguard.collector.incident;

import java.util.Arrays;

/**
 * How many signals an incident got over time, in at most {@link #MAX_BUCKETS} equal buckets from
 * its first signal. A bucket starts one second wide and doubles (merging neighbours) whenever a
 * signal would fall past the last one, so a long incident costs no more than a short one.
 * Immutable, like {@link Incident}.
 */
public final class SignalTimeline {
    /** The most buckets kept; the width doubles beyond. */
    public static final int MAX_BUCKETS = 48;

    static final long FIRST_BUCKET_MILLIS = 1_000;

    private final long startMillis;
    private final long bucketMillis;
    private final long[] counts;

    private SignalTimeline(long startMillis, long bucketMillis, long[] counts) {
        this.startMillis = startMillis;
        this.bucketMillis = bucketMillis;
        this.counts = counts;
    }

    /** A timeline of one signal at {@code timeMillis}. */
    static SignalTimeline of(long timeMillis) {
        return new SignalTimeline(timeMillis, FIRST_BUCKET_MILLIS, new long[] {1});
    }

    /** A timeline read back from storage; {@link IllegalArgumentException} if it cannot be one. */
    public static SignalTimeline restore(long startMillis, long bucketMillis, long[] counts) {
        if (bucketMillis < 1 || counts.length == 0 || counts.length > MAX_BUCKETS) {
            throw new IllegalArgumentException(
                    "a timeline needs 1.." + MAX_BUCKETS + " buckets of at least 1 ms");
        }
        for (long c : counts) {
            if (c < 0) {
                throw new IllegalArgumentException("a timeline count cannot be negative");
            }
        }
        return new SignalTimeline(startMillis, bucketMillis, counts.clone());
    }

    /** For incidents stored before timelines existed: all their signals at the first one. */
    static SignalTimeline legacy(long firstSeen, long count) {
        return new SignalTimeline(firstSeen, FIRST_BUCKET_MILLIS, new long[] {count});
    }

    /** This timeline with one more signal at {@code timeMillis}. */
    SignalTimeline with(long timeMillis) {
        // Records from several server threads can arrive slightly out of order: a signal older
        // than the first one counts in the first bucket rather than moving the origin.
        long offset = Math.max(0, timeMillis - startMillis);
        long width = bucketMillis;
        long[] c = counts;
        while (offset / width >= MAX_BUCKETS) {
            c = halve(c);
            width *= 2;
        }
        int index = (int) (offset / width);
        long[] out = Arrays.copyOf(c, Math.max(c.length, index + 1));
        out[index]++;
        return new SignalTimeline(startMillis, width, out);
    }

    private static long[] halve(long[] c) {
        long[] out = new long[(c.length + 1) / 2];
        for (int i = 0; i < c.length; i++) {
            out[i / 2] += c[i];
        }
        return out;
    }

    /** Record time (epoch ms) where the first bucket starts. */
    public long startMillis() {
        return startMillis;
    }

    /** The width of each bucket in milliseconds. */
    public long bucketMillis() {
        return bucketMillis;
    }

    /** Signals per bucket, oldest first (a copy). */
    public long[] counts() {
        return counts.clone();
    }
}
