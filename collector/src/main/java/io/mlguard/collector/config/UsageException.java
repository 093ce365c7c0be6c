package io.mlguard.collector.config;

/**
 * A command-line option or its value is wrong. The message is one line meant for the operator;
 * {@code CollectorMain} prints it and exits with code 2.
 */
public final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }

    public UsageException(String message, Throwable cause) {
        super(message, cause);
    }
}
