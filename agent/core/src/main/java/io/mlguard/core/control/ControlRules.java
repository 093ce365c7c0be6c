package io.mlguard.core.control;

import io.mlguard.protocol.ControlRecord;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The block and throttle rules in force, by client. Class loader: agent. Every rule expires; a lift
 * removes it; a newer command for a client replaces the older one. Throttling is a token bucket
 * holding at most one second's worth of calls. Bounded: past {@link #MAX_RULES} clients new rules
 * are refused and counted, never memory without end.
 */
public final class ControlRules {
    public static final int MAX_RULES = 100_000;

    private final ConcurrentHashMap<String, Rule> byClient = new ConcurrentHashMap<>();
    public final LongAdder rulesRefused = new LongAdder();

    /** One client's rule. */
    private static final class Rule {
        final ControlRecord.Action action;
        final String model;
        final long expiresAtMillis;
        final double rate;
        final String reason;
        private double tokens;
        private long lastNanos;

        Rule(ControlRecord c, long nowNanos) {
            action = c.action;
            model = c.model;
            expiresAtMillis = c.expiresAtMillis;
            rate = c.ratePerSecond;
            reason = c.reason;
            tokens = Math.max(1, rate);
            lastNanos = nowNanos;
        }

        synchronized boolean takeToken(long nowNanos) {
            double burst = Math.max(1, rate);
            tokens = Math.min(burst, tokens + (nowNanos - lastNanos) / 1e9 * rate);
            lastNanos = nowNanos;
            if (tokens >= 1) {
                tokens -= 1;
                return true;
            }
            return false;
        }
    }

    /** Applies a command read from the control queue. */
    public void apply(ControlRecord c, long nowMillis, long nowNanos) {
        if (c.action == ControlRecord.Action.LIFT) {
            byClient.remove(c.clientId);
            return;
        }
        if (c.expiresAtMillis <= nowMillis) {
            return;
        }
        if (byClient.size() >= MAX_RULES && !byClient.containsKey(c.clientId)) {
            rulesRefused.increment();
            return;
        }
        byClient.put(c.clientId, new Rule(c, nowNanos));
    }

    public boolean isEmpty() {
        return byClient.isEmpty();
    }

    public int size() {
        return byClient.size();
    }

    /**
     * Why {@code clientId} may not run an inference of {@code model} now, or {@code null} if it
     * may.
     */
    public String refusal(String clientId, String model, long nowMillis, long nowNanos) {
        Rule r = byClient.get(clientId);
        if (r == null) {
            return null;
        }
        if (r.expiresAtMillis <= nowMillis) {
            byClient.remove(clientId, r);
            return null;
        }
        if (r.model != null && !r.model.equals(model)) {
            return null;
        }
        if (r.action == ControlRecord.Action.THROTTLE) {
            if (r.takeToken(nowNanos)) {
                return null;
            }
            return "mlguard: client '"
                    + clientId
                    + "' is throttled to "
                    + r.rate
                    + " inferences/s until "
                    + Instant.ofEpochMilli(r.expiresAtMillis)
                    + (r.reason == null ? "" : " (" + r.reason + ")");
        }
        return "mlguard: client '"
                + clientId
                + "' is blocked until "
                + Instant.ofEpochMilli(r.expiresAtMillis)
                + (r.reason == null ? "" : " (" + r.reason + ")");
    }
}
