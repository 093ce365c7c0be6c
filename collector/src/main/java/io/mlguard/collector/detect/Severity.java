package io.mlguard.collector.detect;

import java.util.Locale;

/** How urgently an operator should look at a signal or incident; ordered from least to most. */
public enum Severity {
    LOW,
    MEDIUM,
    HIGH,
    CRITICAL;

    /** The name used in JSON and in the API's filters. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a wire name; throws {@link IllegalArgumentException} naming the accepted values. */
    public static Severity ofWireName(String s) {
        for (Severity v : values()) {
            if (v.wireName().equals(s)) {
                return v;
            }
        }
        throw new IllegalArgumentException(
                "unknown severity '" + s + "'; expected one of low, medium, high, critical");
    }

    public static Severity max(Severity a, Severity b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
