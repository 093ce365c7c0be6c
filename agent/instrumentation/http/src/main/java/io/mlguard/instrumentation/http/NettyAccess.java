package io.mlguard.instrumentation.http;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.net.SocketAddress;

/**
 * Method handles into one copy of Netty's HTTP classes: {@code HttpRequest.uri()}, {@code
 * headers().get(name)}, and {@code ChannelHandlerContext.channel().remoteAddress()}. Class loader:
 * agent; Netty is reached through the classes of the message and the context it is handed, once per
 * class ({@link ClassValue}, so a message that is not an HTTP request costs one lookup).
 */
final class NettyAccess {
    static final String HTTP_REQUEST = "io.netty.handler.codec.http.HttpRequest";
    static final String CONTEXT = "io.netty.channel.ChannelHandlerContext";

    /** Per message class: its access if it is an HTTP request, else {@code null}. */
    static final ClassValue<NettyAccess> REQUESTS =
            new ClassValue<>() {
                @Override
                protected NettyAccess computeValue(Class<?> messageClass) {
                    Class<?> api = Supertypes.find(messageClass, HTTP_REQUEST);
                    if (api == null) {
                        return null;
                    }
                    try {
                        return new NettyAccess(api);
                    } catch (ReflectiveOperationException | RuntimeException e) {
                        return null;
                    }
                }
            };

    /** Per channel handler context class: {@code ctx.channel().remoteAddress()}, or null. */
    static final ClassValue<MethodHandle> REMOTE_ADDRESS =
            new ClassValue<>() {
                @Override
                protected MethodHandle computeValue(Class<?> contextClass) {
                    Class<?> api = Supertypes.find(contextClass, CONTEXT);
                    if (api == null) {
                        return null;
                    }
                    try {
                        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
                        Method channel = api.getMethod("channel");
                        Method remote = channel.getReturnType().getMethod("remoteAddress");
                        return MethodHandles.filterReturnValue(
                                        lookup.unreflect(channel), lookup.unreflect(remote))
                                .asType(MethodType.methodType(SocketAddress.class, Object.class));
                    } catch (ReflectiveOperationException | RuntimeException e) {
                        return null;
                    }
                }
            };

    final MethodHandle uri;
    final MethodHandle header;

    private NettyAccess(Class<?> httpRequest) throws ReflectiveOperationException {
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        uri =
                lookup.unreflect(httpRequest.getMethod("uri"))
                        .asType(MethodType.methodType(String.class, Object.class));
        Method headers = httpRequest.getMethod("headers");
        Method get = headers.getReturnType().getMethod("get", String.class);
        header =
                MethodHandles.collectArguments(lookup.unreflect(get), 0, lookup.unreflect(headers))
                        .asType(MethodType.methodType(String.class, Object.class, String.class));
    }
}
