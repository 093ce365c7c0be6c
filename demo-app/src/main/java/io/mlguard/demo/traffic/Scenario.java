package io.mlguard.demo.traffic;

import java.util.Locale;

/** What the traffic generator plays. */
public enum Scenario {
    /** Five well-behaved clients sending held-out digits. */
    BENIGN,
    /** One client sending digits with NaN and infinite pixels. */
    NAN,
    /** The model file is replaced on disk and reloaded, then a benign client carries on. */
    SWAP,
    /** Benign, then NaN, then swap, then a little more benign traffic. */
    ALL;

    /** Parses a command-line value such as {@code nan}. */
    public static Scenario parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "unknown scenario '" + value + "' (expected all, benign, nan or swap)", e);
        }
    }
}
