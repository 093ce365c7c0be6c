package io.mlguard.core.request;

import io.mlguard.core.RequestAdapter;

/**
 * The request each thread serves, and the request context it carries when it runs a task handed
 * over by a request thread. Class loader: agent.
 *
 * <p>Entering a request costs a thread-local write; the client identity and path are resolved (and
 * pseudonymised) only when an inference or a handoff needs them, once per request. The outermost
 * request wins when servers nest (filter chains, pipeline handlers).
 */
public final class RequestAttribution {
    private final RequestAdapter[] servers;
    private final String clientHeader;
    private final ClientIdPseudonymiser pseudonymiser;
    private final ThreadLocal<Scope> scopes =
            new ThreadLocal<>() { // not withInitial(Scope::new): no lambda at agent start
                @Override
                protected Scope initialValue() {
                    return new Scope();
                }
            };

    /**
     * @param pseudonymiser replaces client identities before they are written; {@code null} keeps
     *     them as they are
     */
    public RequestAttribution(
            RequestAdapter[] servers, String clientHeader, ClientIdPseudonymiser pseudonymiser) {
        this.servers = servers.clone();
        this.clientHeader = clientHeader;
        this.pseudonymiser = pseudonymiser;
    }

    /** What one thread knows of its request. */
    private static final class Scope {
        int depth;
        int server = -1;
        Object request;
        Object connection;
        RequestContext resolved;
        RequestContext carried;
    }

    public void enter(int server, Object request, Object connection) {
        Scope s = scopes.get();
        if (s.depth++ == 0) {
            s.server = server;
            s.request = request;
            s.connection = connection;
            s.resolved = null;
        }
    }

    /** Enters the message as a request if the server's adapter says it is one. */
    public boolean enterMessage(int server, Object message, Object connection) {
        RequestAdapter a = adapter(server);
        if (a == null || message == null || !a.isRequest(message)) {
            return false;
        }
        enter(server, message, connection);
        return true;
    }

    public void exit(int server) {
        Scope s = scopes.get();
        if (s.depth > 0 && --s.depth == 0) {
            s.server = -1;
            s.request = null;
            s.connection = null;
            s.resolved = null;
        }
    }

    /**
     * The context of this thread's request, else the one its current task carries, else {@code
     * null}.
     */
    public RequestContext current() {
        Scope s = scopes.get();
        if (s.request == null) {
            return s.carried;
        }
        RequestContext c = s.resolved;
        if (c == null) {
            c = resolve(s);
            s.resolved = c;
        }
        return c;
    }

    /** A task starts in {@code context}; returns the context to restore when it ends. */
    public RequestContext attach(RequestContext context) {
        Scope s = scopes.get();
        RequestContext previous = s.carried;
        s.carried = context;
        return previous;
    }

    public void detach(RequestContext previous) {
        scopes.get().carried = previous;
    }

    private RequestContext resolve(Scope s) {
        RequestAdapter a = adapter(s.server);
        if (a == null) {
            return null;
        }
        RequestContext raw = a.resolve(s.request, s.connection, clientHeader);
        if (raw == null || pseudonymiser == null || raw.clientId == null) {
            return raw;
        }
        return raw.withClientId(pseudonymiser.pseudonym(raw.clientId));
    }

    private RequestAdapter adapter(int server) {
        return server >= 0 && server < servers.length ? servers[server] : null;
    }
}
