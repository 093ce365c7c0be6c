package io.mlguard.instrumentation.http;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

/** What every server adapter does the same way. Class loader: agent. */
final class ClientIds {
    private ClientIds() {}

    /** The IP address of a remote socket address, or {@code null} when it has none. */
    static String address(SocketAddress remote) {
        if (remote instanceof InetSocketAddress) {
            InetSocketAddress inet = (InetSocketAddress) remote;
            return inet.getAddress() != null
                    ? inet.getAddress().getHostAddress()
                    : inet.getHostString();
        }
        return null;
    }

    /**
     * The path of a request target: the query is cut, and an absolute-form target ({@code
     * http://host/p}) keeps only its path.
     */
    static String path(String target) {
        if (target == null) {
            return null;
        }
        int start = 0;
        int scheme = target.indexOf("://");
        if (scheme > 0 && scheme < target.indexOf('/') + 1) {
            int slash = target.indexOf('/', scheme + 3);
            if (slash < 0) {
                return "/";
            }
            start = slash;
        }
        int end = target.length();
        int q = target.indexOf('?', start);
        if (q >= 0) {
            end = q;
        }
        int hash = target.indexOf('#', start);
        if (hash >= 0 && hash < end) {
            end = hash;
        }
        return start == 0 && end == target.length() ? target : target.substring(start, end);
    }
}
