package io.mlguard.demo.server;

/**
 * A request that cannot be served, with the HTTP status and the message the client gets back as
 * {@code {"error": message}}. Thrown for anything the client can fix; never carries a stack trace
 * to the client.
 */
public final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;

    /** A failure answered with {@code status} and {@code message}. */
    public ApiException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    /** The HTTP status to answer with. */
    public int status() {
        return status;
    }

    static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }

    static ApiException notFound(String message) {
        return new ApiException(404, message);
    }
}
