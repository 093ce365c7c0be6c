package io.mlguard.instrumentation.http;

import io.mlguard.core.request.RequestContext;
import io.mlguard.protocol.ClientIdSource;

/**
 * Client identity from an {@code HttpServletRequest} ({@code jakarta} or {@code javax}): the
 * configured header if the request has it, else {@code getRemoteAddr()} (which the container may
 * already have taken from a trusted proxy's {@code X-Forwarded-For}). Class loader: agent.
 */
final class ServletRequestAdapter extends ResolvingRequestAdapter {
    private final ClassValue<ServletAccess> access;

    ServletRequestAdapter(String namespace) {
        this.access = ServletAccess.forApi(namespace);
    }

    @Override
    public RequestContext resolve(Object request, Object connection, String clientHeader) {
        if (request == null) {
            return null;
        }
        ServletAccess a = access.get(request.getClass());
        if (a == null) {
            return null;
        }
        try {
            String path = (String) a.getRequestUri.invokeExact(request);
            String id =
                    clientHeader == null
                            ? null
                            : (String) a.getHeader.invokeExact(request, clientHeader);
            if (id != null && !id.isEmpty()) {
                return new RequestContext(ClientIdSource.HEADER, id, path);
            }
            String remote = (String) a.getRemoteAddr.invokeExact(request);
            return new RequestContext(ClientIdSource.REMOTE_ADDRESS, remote, path);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
