package io.mlguard.protocol;

/**
 * A record could not be decoded: wrong magic, a schema version this reader does not understand, a
 * truncated body or a value outside the protocol's bounds. The reader reports it and goes on with
 * the next record.
 */
public final class RecordFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RecordFormatException(String message) {
        super(message);
    }

    public RecordFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
