package io.mlguard.instrumentation.http;

import io.mlguard.core.RequestAdapter;
import io.mlguard.core.request.RequestContext;
import io.mlguard.protocol.InferenceRecord;

/**
 * What every server adapter of this module shares: it resolves a request into a {@link
 * RequestContext} once, and describes records and answers client ids from that. Class loader:
 * agent.
 */
abstract class ResolvingRequestAdapter implements RequestAdapter {
    @Override
    public abstract RequestContext resolve(Object request, Object connection, String clientHeader);

    @Override
    public final void describe(Object request, String clientHeader, InferenceRecord record) {
        RequestContext c = resolve(request, null, clientHeader);
        if (c != null) {
            c.describe(record);
        }
    }

    @Override
    public final String clientId(Object request, String clientHeader) {
        RequestContext c = resolve(request, null, clientHeader);
        return c == null ? null : c.clientId;
    }
}
