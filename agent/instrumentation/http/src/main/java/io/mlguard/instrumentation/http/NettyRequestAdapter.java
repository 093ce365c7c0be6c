package io.mlguard.instrumentation.http;

import io.mlguard.core.request.RequestContext;
import io.mlguard.protocol.ClientIdSource;
import java.lang.invoke.MethodHandle;
import java.net.SocketAddress;

/**
 * Client identity from a Netty {@code HttpRequest} (the configured header) or, without it, from the
 * remote address of the channel it arrived on. Class loader: agent.
 */
final class NettyRequestAdapter extends ResolvingRequestAdapter {
    @Override
    public boolean isRequest(Object message) {
        return NettyAccess.REQUESTS.get(message.getClass()) != null;
    }

    @Override
    public RequestContext resolve(Object request, Object connection, String clientHeader) {
        if (request == null) {
            return null;
        }
        NettyAccess a = NettyAccess.REQUESTS.get(request.getClass());
        if (a == null) {
            return null;
        }
        try {
            String path = ClientIds.path((String) a.uri.invokeExact(request));
            String id =
                    clientHeader == null
                            ? null
                            : (String) a.header.invokeExact(request, clientHeader);
            if (id != null && !id.isEmpty()) {
                return new RequestContext(ClientIdSource.HEADER, id, path);
            }
            String remote = null;
            if (connection != null) {
                MethodHandle h = NettyAccess.REMOTE_ADDRESS.get(connection.getClass());
                if (h != null) {
                    remote = ClientIds.address((SocketAddress) h.invokeExact(connection));
                }
            }
            return new RequestContext(ClientIdSource.REMOTE_ADDRESS, remote, path);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
