package io.mlguard.instrumentation.http;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.mlguard.bootstrap.Dispatcher;
import io.mlguard.core.InstrumentationModule;
import io.mlguard.core.RequestAdapter;
import java.lang.instrument.Instrumentation;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;

/**
 * Request attribution for the JDK's built-in {@code com.sun.net.httpserver.HttpServer}. Class
 * loader: agent. The instrumented class lives in the named module {@code jdk.httpserver}, which is
 * given a read edge to the dispatcher's (bootstrap, unnamed) module.
 */
public final class JdkHttpServerModule implements InstrumentationModule {
    private final JdkHttpServerRequestAdapter adapter = new JdkHttpServerRequestAdapter();

    @Override
    public String name() {
        return "jdk-httpserver";
    }

    @Override
    public AgentBuilder instrument(AgentBuilder builder, Instrumentation inst) {
        return builder.type(named("com.sun.net.httpserver.Filter$Chain"))
                .transform(
                        (b, type, loader, module, domain) ->
                                b.visit(
                                        Advice.to(JdkHttpServerAdvice.class)
                                                .on(named("doFilter").and(takesArguments(1)))))
                .assureReadEdgeTo(inst, Dispatcher.class);
    }

    @Override
    public int serverId() {
        return Dispatcher.JDK_HTTP_SERVER;
    }

    @Override
    public RequestAdapter requestAdapter() {
        return adapter;
    }
}
