package io.mlguard.instrumentation.http;

import io.mlguard.bootstrap.Dispatcher;

/**
 * Request attribution for servlet containers on the {@code javax.servlet} API (for example Jetty
 * 9.4, Tomcat 9). Class loader: agent.
 */
public final class JavaxServletModule extends ServletModule {
    public JavaxServletModule() {
        super("javax", Dispatcher.SERVLET_JAVAX);
    }
}
