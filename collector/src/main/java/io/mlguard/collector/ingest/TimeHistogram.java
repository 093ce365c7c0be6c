package io.mlguard.collector.ingest;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * A histogram of durations with fixed bucket bounds in seconds, as Prometheus expects them
 * (cumulative counts, a sum and a total). One writer at a time is the expected use, but any number
 * of readers may look at any moment; counts are exact, the sum is approximate while it moves.
 */
public final class TimeHistogram {
    private final double[] upperBoundsSeconds;
    private final long[] upperBoundsNanos;
    private final AtomicLongArray counts; // per bucket, not cumulative; last is +Inf
    private final LongAdder sumNanos = new LongAdder();

    public TimeHistogram(double... upperBoundsSeconds) {
        this.upperBoundsSeconds = upperBoundsSeconds.clone();
        this.upperBoundsNanos = new long[upperBoundsSeconds.length];
        for (int i = 0; i < upperBoundsSeconds.length; i++) {
            if (i > 0 && upperBoundsSeconds[i] <= upperBoundsSeconds[i - 1]) {
                throw new IllegalArgumentException("bucket bounds must increase");
            }
            upperBoundsNanos[i] = (long) (upperBoundsSeconds[i] * 1e9);
        }
        this.counts = new AtomicLongArray(upperBoundsSeconds.length + 1);
    }

    public void observeNanos(long nanos) {
        int i = 0;
        while (i < upperBoundsNanos.length && nanos > upperBoundsNanos[i]) {
            i++;
        }
        counts.incrementAndGet(i);
        sumNanos.add(nanos);
    }

    /** Bucket upper bounds in seconds, without +Inf. */
    public double[] upperBoundsSeconds() {
        return upperBoundsSeconds.clone();
    }

    /** Cumulative counts per bucket, the last one (+Inf) being the total. */
    public long[] cumulativeCounts() {
        long[] c = new long[counts.length()];
        long run = 0;
        for (int i = 0; i < c.length; i++) {
            run += counts.get(i);
            c[i] = run;
        }
        return c;
    }

    public double sumSeconds() {
        return sumNanos.sum() / 1e9;
    }
}
