package io.mlguard.instrumentation.http;

import io.mlguard.bootstrap.Dispatcher;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into Netty's {@code AbstractChannelHandlerContext.invokeChannelRead(Object)}, through
 * which every handler of a pipeline receives every message, on whatever executor the handler runs.
 * When the message is an HTTP request (a decoder's output, aggregated or not), the handler's work
 * runs inside that request; for any other message the dispatcher returns at once.
 */
public final class NettyChannelReadAdvice {
    private NettyChannelReadAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static boolean enter(@Advice.This Object context, @Advice.Argument(0) Object message) {
        return Dispatcher.enterMessage(Dispatcher.NETTY, message, context);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter boolean entered) {
        if (entered) {
            Dispatcher.exitRequest(Dispatcher.NETTY);
        }
    }
}
