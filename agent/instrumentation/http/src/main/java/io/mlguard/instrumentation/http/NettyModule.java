package io.mlguard.instrumentation.http;

import io.mlguard.bootstrap.Dispatcher;
import io.mlguard.core.InstrumentationModule;
import io.mlguard.core.MethodHook;
import io.mlguard.core.MethodHook.Methods;
import io.mlguard.core.MethodHook.Value;
import io.mlguard.core.RequestAdapter;
import java.util.List;

/**
 * Request attribution for Netty 4.1 HTTP servers (and frameworks on them). Class loader: agent.
 *
 * <p>The hook is the pipeline's delivery of a message to a handler, not the HTTP decoder: a handler
 * that receives the request (directly, after an aggregator, or on an {@code EventExecutorGroup} of
 * its own) then serves it, and the remote address comes from its channel. Work a handler hands to
 * an executor is carried there by the executor instrumentation. The hooked class is named exactly,
 * so the light weaver applies it at premain.
 */
public final class NettyModule implements InstrumentationModule {
    private final NettyRequestAdapter adapter = new NettyRequestAdapter();

    @Override
    public String name() {
        return "netty-4.1";
    }

    @Override
    public List<MethodHook> hooks() {
        return List.of(
                MethodHook.message(
                        "io.netty.channel.AbstractChannelHandlerContext",
                        Methods.named("invokeChannelRead")
                                .takesArguments(1)
                                .takesArgument(0, "java.lang.Object"),
                        Dispatcher.NETTY,
                        Value.arg(0),
                        Value.self()));
    }

    @Override
    public int serverId() {
        return Dispatcher.NETTY;
    }

    @Override
    public RequestAdapter requestAdapter() {
        return adapter;
    }
}
