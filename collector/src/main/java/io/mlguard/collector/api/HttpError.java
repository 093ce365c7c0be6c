package io.mlguard.collector.api;

/** A request that gets an error status and a JSON {@code {"error": message}} body. */
final class HttpError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    final int status;

    HttpError(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }
}
