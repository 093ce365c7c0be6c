package io.mlguard.bootstrap;

/**
 * Thrown into the application when mlguard refuses an inference because the collector blocked or
 * throttled its client and enforcement is on. Class loader: bootstrap, so that every application
 * can catch it (it is a {@link SecurityException}; servers usually turn it into an error response).
 */
public final class ClientBlockedException extends SecurityException {
    private static final long serialVersionUID = 1L;

    public ClientBlockedException(String message) {
        super(message);
    }
}
