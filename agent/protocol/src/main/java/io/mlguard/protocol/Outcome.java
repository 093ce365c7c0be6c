package io.mlguard.protocol;

/** How an inference or a model load ended. */
public enum Outcome {
    OK,
    /** The runtime threw; {@code errorType} says what. */
    ERROR,
    /** The agent refused the call because the collector blocked the client. */
    BLOCKED;

    private static final Outcome[] VALUES = values();

    public static Outcome ofCode(int code) {
        if (code < 0 || code >= VALUES.length) {
            throw new RecordFormatException("unknown outcome code " + code);
        }
        return VALUES[code];
    }
}
