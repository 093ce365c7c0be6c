package io.mlguard.demo.traffic;

import java.time.Duration;

/**
 * How an attacker client behaves on the wire.
 *
 * @param client the {@code X-Client-Id} it sends (the first one, when rotating)
 * @param rotateEvery a new client id every this many queries; 0 keeps one id
 * @param budget the most queries one attack may send
 * @param timeLimit the longest one attack may run
 */
public record AttackSettings(String client, int rotateEvery, int budget, Duration timeLimit) {
    /** Default query budget of an attack. */
    public static final int DEFAULT_BUDGET = 2000;

    /** Default wall-clock limit of an attack. */
    public static final Duration DEFAULT_TIME_LIMIT = Duration.ofSeconds(120);

    /** Validates the values. */
    public AttackSettings {
        if (client == null || client.isBlank()) {
            throw new IllegalArgumentException("client id must not be blank");
        }
        if (rotateEvery < 0) {
            throw new IllegalArgumentException("rotateEvery must be >= 0: " + rotateEvery);
        }
        if (budget < 1) {
            throw new IllegalArgumentException("budget must be >= 1: " + budget);
        }
    }

    /** One client id {@code attacker}, the default budget and time limit. */
    public static AttackSettings defaults() {
        return new AttackSettings("attacker", 0, DEFAULT_BUDGET, DEFAULT_TIME_LIMIT);
    }

    /** The same settings with another budget. */
    public AttackSettings withBudget(int queries) {
        return new AttackSettings(client, rotateEvery, queries, timeLimit);
    }
}
