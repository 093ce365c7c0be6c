package io.mlguard.protocol;

/** Where the client identity of an inference came from. */
public enum ClientIdSource {
    /** No request was found behind the inference (a batch job, a test). */
    NONE,
    /** A configured request header such as {@code X-Client-Id}. */
    HEADER,
    /** The remote address of the connection. */
    REMOTE_ADDRESS,
    /** The server span of an OpenTelemetry trace. */
    OPENTELEMETRY;

    private static final ClientIdSource[] VALUES = values();

    public static ClientIdSource ofCode(int code) {
        if (code < 0 || code >= VALUES.length) {
            throw new RecordFormatException("unknown client id source " + code);
        }
        return VALUES[code];
    }
}
