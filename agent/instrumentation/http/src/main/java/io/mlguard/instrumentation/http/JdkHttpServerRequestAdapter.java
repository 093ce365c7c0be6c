package io.mlguard.instrumentation.http;

import com.sun.net.httpserver.HttpExchange;
import io.mlguard.core.request.RequestContext;
import io.mlguard.protocol.ClientIdSource;
import java.net.InetSocketAddress;

/**
 * Client identity from a JDK {@code HttpExchange}: the configured header if the request has it,
 * else the remote IP address. Class loader: agent; {@code com.sun.net.httpserver} is a JDK module
 * that the agent loader sees through its platform parent.
 */
final class JdkHttpServerRequestAdapter extends ResolvingRequestAdapter {
    @Override
    public RequestContext resolve(Object request, Object connection, String clientHeader) {
        if (!(request instanceof HttpExchange)) {
            return null;
        }
        HttpExchange exchange = (HttpExchange) request;
        String id =
                clientHeader == null ? null : exchange.getRequestHeaders().getFirst(clientHeader);
        String path = exchange.getRequestURI().getRawPath();
        if (id != null && !id.isEmpty()) {
            return new RequestContext(ClientIdSource.HEADER, id, path);
        }
        InetSocketAddress remote = exchange.getRemoteAddress();
        return new RequestContext(ClientIdSource.REMOTE_ADDRESS, ClientIds.address(remote), path);
    }
}
