package io.mlguard.collector.profile;

/** A profile file that cannot be used: unreadable, malformed, or of another format version. */
public final class ProfileFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    public ProfileFormatException(String message) {
        super(message);
    }

    public ProfileFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
