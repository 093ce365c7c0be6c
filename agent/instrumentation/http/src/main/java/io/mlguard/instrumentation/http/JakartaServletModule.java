package io.mlguard.instrumentation.http;

import io.mlguard.bootstrap.Dispatcher;

/**
 * Request attribution for servlet containers on the {@code jakarta.servlet} API (for example Jetty
 * 12 ee10, Tomcat 10+). Class loader: agent.
 */
public final class JakartaServletModule extends ServletModule {
    public JakartaServletModule() {
        super("jakarta", Dispatcher.SERVLET_JAKARTA);
    }
}
