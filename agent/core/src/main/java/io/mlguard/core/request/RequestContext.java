package io.mlguard.core.request;

import io.mlguard.protocol.ClientIdSource;
import io.mlguard.protocol.InferenceRecord;

/**
 * Who sent the request behind an inference and to which path: resolved once per request (with the
 * client identity already pseudonymised when configured), then shared by every inference of the
 * request, on its own thread or on an executor's. Immutable. Class loader: agent.
 */
public final class RequestContext {
    public final ClientIdSource source;
    public final String clientId;
    public final String path;

    public RequestContext(ClientIdSource source, String clientId, String path) {
        this.source = clientId == null ? ClientIdSource.NONE : source;
        this.clientId = clientId;
        this.path = path;
    }

    /** Sets the record's client identity and request path. */
    public void describe(InferenceRecord record) {
        record.clientIdSource = source;
        record.clientId = clientId;
        record.requestPath = path;
    }

    RequestContext withClientId(String id) {
        return new RequestContext(source, id, path);
    }

    @Override
    public String toString() {
        return source + " " + clientId + " " + path;
    }
}
