package io.mlguard.collector.ingest;

import java.util.concurrent.locks.LockSupport;

/**
 * Waits between empty polls of the queue: short at first, so a burst after a pause is picked up
 * quickly, then growing up to a cap, so an idle collector does not spin a core.
 */
final class IdleBackoff {
    private static final long MIN_NANOS = 50_000; // 50 µs
    // 10 ms: the first record after a pause waits at most this long (inference-to-incident
    // latency), for about a hundred wake-ups a second when idle.
    private static final long MAX_NANOS = 10_000_000; // 10 ms

    private long next = MIN_NANOS;

    void idle() {
        LockSupport.parkNanos(next);
        next = Math.min(MAX_NANOS, next * 2);
    }

    void reset() {
        next = MIN_NANOS;
    }
}
