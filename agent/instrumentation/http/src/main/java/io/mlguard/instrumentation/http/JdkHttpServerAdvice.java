package io.mlguard.instrumentation.http;

import io.mlguard.bootstrap.Dispatcher;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into {@code com.sun.net.httpserver.Filter.Chain.doFilter(HttpExchange)}, which every
 * request of the JDK {@code HttpServer} passes through before its handler (lambdas included).
 * Chains nest (system filters, then user filters); the recorder keeps the outermost.
 */
public final class JdkHttpServerAdvice {
    private JdkHttpServerAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.Argument(0) Object exchange) {
        Dispatcher.enterRequest(Dispatcher.JDK_HTTP_SERVER, exchange);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit() {
        Dispatcher.exitRequest(Dispatcher.JDK_HTTP_SERVER);
    }
}
