package io.mlguard.core;

import io.mlguard.protocol.InferenceRecord;

/**
 * Reads the client identity and path of the HTTP request behind an inference. Class loader: agent.
 * Called only when an inference happens inside a request, so that requests that reach no model cost
 * nothing but a thread-local write.
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
}
