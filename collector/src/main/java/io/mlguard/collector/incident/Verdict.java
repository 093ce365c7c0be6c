package io.mlguard.collector.incident;

/** An operator's verdict on an incident. */
public enum Verdict {
    TRUE_POSITIVE("true_positive"),
    FALSE_POSITIVE("false_positive");

    private final String wireName;

    Verdict(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** Parses a wire name; throws {@link IllegalArgumentException} naming the accepted values. */
    public static Verdict ofWireName(String s) {
        for (Verdict v : values()) {
            if (v.wireName.equals(s)) {
                return v;
            }
        }
        throw new IllegalArgumentException(
                "verdict must be \"true_positive\" or \"false_positive\", got \"" + s + "\"");
    }
}
