package io.mlguard.instrumentation.http;

import io.mlguard.bootstrap.Dispatcher;
import io.mlguard.core.InstrumentationModule;
import io.mlguard.core.MethodHook;
import io.mlguard.core.MethodHook.Methods;
import io.mlguard.core.MethodHook.Value;
import io.mlguard.core.RequestAdapter;
import java.util.List;

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
    public List<MethodHook> hooks() {
        return List.of(
                MethodHook.request(
                        "com.sun.net.httpserver.Filter$Chain",
                        Methods.named("doFilter").takesArguments(1),
                        Dispatcher.JDK_HTTP_SERVER,
                        Value.arg(0)));
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
