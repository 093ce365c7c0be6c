package io.mlguard.core;

import io.mlguard.core.request.RequestContext;
import io.mlguard.protocol.InferenceRecord;

/**
 * Reads the client identity and path of the HTTP request behind an inference. Class loader: agent.
 * Called only when an inference (or a handoff to an executor) happens inside a request, once per
 * request, so that requests that reach no model cost nothing but a thread-local write.
 */
public interface RequestAdapter {
    /**
     * Sets {@code clientIdSource}, {@code clientId} and {@code requestPath} of the record.
     *
     * @param clientHeader the configured header that names the client, or {@code null}
     */
    void describe(Object request, String clientHeader, InferenceRecord record);

    /** The client identity alone, as {@link #describe} would set it; {@code null} if none. */
    String clientId(Object request, String clientHeader);

    /**
     * For servers whose handlers receive every kind of message (Netty): whether this one is an HTTP
     * request. Must be cheap and allocation-free: it runs for every message.
     */
    default boolean isRequest(Object message) {
        return true;
    }

    /**
     * The raw client identity and path of a request, once per request. Adapters override it; the
     * default goes through {@link #describe}.
     *
     * @param connection where the request came from when the request object does not say (a Netty
     *     channel context), else {@code null}
     */
    default RequestContext resolve(Object request, Object connection, String clientHeader) {
        InferenceRecord scratch = new InferenceRecord();
        describe(request, clientHeader, scratch);
        return new RequestContext(scratch.clientIdSource, scratch.clientId, scratch.requestPath);
    }
}
