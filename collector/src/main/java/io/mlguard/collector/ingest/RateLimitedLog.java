package io.mlguard.collector.ingest;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Logs at most one warning per key per interval and says how many were suppressed, so that a flood
 * of bad records (or an attacker producing them) cannot flood the log.
 */
final class RateLimitedLog {
    /** Bounds the keys remembered; past it, keys share one slot. */
    private static final int MAX_KEYS = 256;

    private final Logger log;
    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private final Map<String, long[]> state = new HashMap<>(); // key -> {lastLogged, suppressed}

    RateLimitedLog(Logger log, long intervalNanos, LongSupplier nanoClock) {
        this.log = log;
        this.intervalNanos = intervalNanos;
        this.nanoClock = nanoClock;
    }

    /**
     * @return whether the message was logged
     */
    synchronized boolean warn(String key, String message) {
        if (!state.containsKey(key) && state.size() >= MAX_KEYS) {
            key = "(other)";
        }
        long now = nanoClock.getAsLong();
        long[] s = state.get(key);
        if (s != null && now - s[0] < intervalNanos) {
            s[1]++;
            return false;
        }
        long suppressed = s == null ? 0 : s[1];
        state.put(key, new long[] {now, 0});
        if (suppressed > 0) {
            log.warn("{} ({} similar messages suppressed)", message, suppressed);
        } else {
            log.warn(message);
        }
        return true;
    }
}
