package io.mlguard.instrumentation.http;

import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.mlguard.bootstrap.Dispatcher;
import io.mlguard.core.InstrumentationModule;
import io.mlguard.core.RequestAdapter;
import java.lang.instrument.Instrumentation;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;

/**
 * Request attribution for servlet containers on the {@code jakarta.servlet} API (for example Jetty
 * 12 ee10, Tomcat 10+). Class loader: agent. The hook is on the API's own {@code HttpServlet},
 * whatever the container, since the agent's start-up only hands it classes of the servlet API's
 * package.
 */
public final class JakartaServletModule implements InstrumentationModule {
    private final ServletRequestAdapter adapter = new ServletRequestAdapter("jakarta");

    @Override
    public String name() {
        return "jakarta-servlet";
    }

    @Override
    public AgentBuilder instrument(AgentBuilder builder, Instrumentation inst) {
        return builder.type(named("jakarta.servlet.http.HttpServlet"))
                .transform(
                        (b, type, loader, module, domain) ->
                                b.visit(
                                        Advice.to(JakartaServletAdvice.class)
                                                .on(
                                                        named("service")
                                                                .and(isPublic())
                                                                .and(takesArguments(2))
                                                                .and(
                                                                        takesArgument(
                                                                                0,
                                                                                named(
                                                                                        "jakarta.servlet.ServletRequest"))))))
                .assureReadEdgeTo(inst, Dispatcher.class);
    }

    @Override
    public int serverId() {
        return Dispatcher.SERVLET_JAKARTA;
    }

    @Override
    public RequestAdapter requestAdapter() {
        return adapter;
    }
}
