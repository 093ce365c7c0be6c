package io.mlguard.instrumentation.http;

import com.sun.net.httpserver.HttpExchange;
import io.mlguard.core.RequestAdapter;
import io.mlguard.protocol.ClientIdSource;
import io.mlguard.protocol.InferenceRecord;
import java.net.InetSocketAddress;

/**
 * Client identity from a JDK {@code HttpExchange}: the configured header if the request has it,
 * else the remote IP address. Class loader: agent; {@code com.sun.net.httpserver} is a JDK module
 * that the agent loader sees through its platform parent.
 */
final class JdkHttpServerRequestAdapter implements RequestAdapter {
    @Override
    public void describe(Object request, String clientHeader, InferenceRecord record) {
        if (!(request instanceof HttpExchange)) {
            return;
        }
        HttpExchange exchange = (HttpExchange) request;
        String id =
                clientHeader == null ? null : exchange.getRequestHeaders().getFirst(clientHeader);
        if (id != null && !id.isEmpty()) {
            record.clientIdSource = ClientIdSource.HEADER;
            record.clientId = id;
        } else {
            InetSocketAddress remote = exchange.getRemoteAddress();
            if (remote != null && remote.getAddress() != null) {
                record.clientIdSource = ClientIdSource.REMOTE_ADDRESS;
                record.clientId = remote.getAddress().getHostAddress();
            }
        }
        record.requestPath = exchange.getRequestURI().getRawPath();
    }

    @Override
    public String clientId(Object request, String clientHeader) {
        if (!(request instanceof HttpExchange)) {
            return null;
        }
        HttpExchange exchange = (HttpExchange) request;
        String id =
                clientHeader == null ? null : exchange.getRequestHeaders().getFirst(clientHeader);
        if (id != null && !id.isEmpty()) {
            return id;
        }
        InetSocketAddress remote = exchange.getRemoteAddress();
        return remote != null && remote.getAddress() != null
                ? remote.getAddress().getHostAddress()
                : null;
    }
}
