package io.mlguard.instrumentation.http;

import io.mlguard.bootstrap.Dispatcher;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into {@code jakarta.servlet.http.HttpServlet.service(ServletRequest, ServletResponse)},
 * the public entry every container calls for an {@code HttpServlet} (frameworks' dispatcher
 * servlets included). Servlets forwarding to servlets nest; the recorder keeps the outermost.
 */
public final class JakartaServletAdvice {
    private JakartaServletAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.Argument(0) Object request) {
        Dispatcher.enterRequest(Dispatcher.SERVLET_JAKARTA, request);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit() {
        Dispatcher.exitRequest(Dispatcher.SERVLET_JAKARTA);
    }
}
