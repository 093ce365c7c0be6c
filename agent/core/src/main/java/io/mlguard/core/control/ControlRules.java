package io.mlguard.core.control;

import io.mlguard.protocol.ControlRecord;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The block, throttle and sampling rules in force, by client. Class loader: agent. Every rule
 * expires; a lift removes a client's rules; a newer command for a client replaces the older one of
 * its kind (a client may be throttled and sampled at once). Throttling is a token bucket holding at
 * most one second's worth of calls. Sampling records one inference in {@code recordEvery} of the
 * client, or of every client without a rule of its own ({@link ControlRecord#EVERY_CLIENT}).
 * Bounded: past {@link #MAX_RULES} clients of a kind new rules are refused and counted, never
 * memory without end.
 */
public final class ControlRules {
    public static final int MAX_RULES = 100_000;

    private final ConcurrentHashMap<String, Rule> byClient = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Sampling> sampling = new ConcurrentHashMap<>();
    public final LongAdder rulesRefused = new LongAdder();

    /** What every rule has: the model it applies to ({@code null}: all) and its expiry. */
    private abstract static class Expiring {
        final String model;
        final long expiresAtMillis;

        Expiring(ControlRecord c) {
            model = c.model;
            expiresAtMillis = c.expiresAtMillis;
        }
    }

    /**
     * {@code key}'s rule in {@code rules} if it is in force for {@code model}, else {@code null};
     * an expired one is dropped.
     */
    private static <R extends Expiring> R inForce(
            ConcurrentHashMap<String, R> rules, String key, String model, long nowMillis) {
        R r = rules.get(key);
        if (r == null) {
            return null;
        }
        if (r.expiresAtMillis <= nowMillis) {
            rules.remove(key, r);
            return null;
        }
        return r.model == null || r.model.equals(model) ? r : null;
    }

    /** One client's block or throttle. */
    private static final class Rule extends Expiring {
        final ControlRecord.Action action;
        final double rate;
        final String reason;
        private double tokens;
        private long lastNanos;

        Rule(ControlRecord c, long nowNanos) {
            super(c);
            action = c.action;
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

    /** One client's sampling (or every client's): which of its inferences are recorded. */
    private static final class Sampling extends Expiring {
        final int every;

        /** The client's inferences so far under this rule: the first and every every-th after. */
        final AtomicLong seen = new AtomicLong();

        Sampling(ControlRecord c) {
            super(c);
            every = c.recordEvery;
        }
    }

    /** Applies a command read from the control queue. */
    public void apply(ControlRecord c, long nowMillis, long nowNanos) {
        if (c.action == ControlRecord.Action.LIFT) {
            byClient.remove(c.clientId);
            sampling.remove(c.clientId);
            return;
        }
        if (c.expiresAtMillis <= nowMillis) {
            return;
        }
        if (c.action == ControlRecord.Action.SAMPLE) {
            if (sampling.size() >= MAX_RULES && !sampling.containsKey(c.clientId)) {
                rulesRefused.increment();
                return;
            }
            sampling.put(c.clientId, new Sampling(c));
            return;
        }
        if (byClient.size() >= MAX_RULES && !byClient.containsKey(c.clientId)) {
            rulesRefused.increment();
            return;
        }
        byClient.put(c.clientId, new Rule(c, nowNanos));
    }

    /** Whether no block or throttle rule is in force (sampling rules aside). */
    public boolean isEmpty() {
        return byClient.isEmpty();
    }

    /** Whether some sampling rule may be in force: {@link #records} has something to decide. */
    public boolean samples() {
        return !sampling.isEmpty();
    }

    /**
     * Whether this inference of {@code clientId} ({@code null} when no client is known) of {@code
     * model} is recorded: under the client's own sampling rule, else under the every-client rule,
     * one in {@code recordEvery} (the first, then every {@code recordEvery}-th); with neither in
     * force, every one is. A rule for another model does not apply; an expired one is dropped.
     */
    public boolean records(String clientId, String model, long nowMillis) {
        Sampling s = clientId == null ? null : inForce(sampling, clientId, model, nowMillis);
        if (s == null) {
            s = inForce(sampling, ControlRecord.EVERY_CLIENT, model, nowMillis);
            if (s == null) {
                return true;
            }
        }
        return s.every <= 1 || s.seen.getAndIncrement() % s.every == 0;
    }

    public int size() {
        return byClient.size();
    }

    /**
     * Why {@code clientId} may not run an inference of {@code model} now, or {@code null} if it
     * may.
     */
    public String refusal(String clientId, String model, long nowMillis, long nowNanos) {
        Rule r = inForce(byClient, clientId, model, nowMillis);
        if (r == null) {
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
