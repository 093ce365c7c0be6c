package io.mlguard.instrumentation.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlguard.bootstrap.DeferredTransformer;
import io.mlguard.core.InstrumentationModule;
import io.mlguard.core.MethodHook;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * At premain a class waits for the agent only if the premain knows it is instrumented: every class
 * this module hooks must be one it waits for.
 */
class WatchedPackagesTest {
    @Test
    void hookedClassesAreWaitedFor() {
        for (InstrumentationModule m :
                List.of(
                        new JdkHttpServerModule(),
                        new JakartaServletModule(),
                        new JavaxServletModule(),
                        new NettyModule())) {
            List<MethodHook> types = m.hooks();
            assertThat(types).as(m.name()).isNotEmpty();
            for (MethodHook t : types) {
                assertThat(DeferredTransformer.watches(t.internalName())).as(t.typeName).isTrue();
                assertThat(DeferredTransformer.waitsFor(t.internalName())).as(t.typeName).isTrue();
                assertThat(t.isLoadedEarly()).as(t.typeName).isFalse();
            }
        }
        assertThat(DeferredTransformer.waitsFor("com/sun/net/httpserver/Filter$Chain")).isTrue();
        assertThat(DeferredTransformer.waitsFor("com/sun/net/httpserver/HttpHandler")).isFalse();
        assertThat(DeferredTransformer.watches("jakarta/servlet/http/HttpServlet")).isTrue();
        assertThat(DeferredTransformer.watches("javax/servlet/http/HttpServlet")).isTrue();
        assertThat(DeferredTransformer.watches("io/netty/channel/AbstractChannelHandlerContext"))
                .isTrue();
        assertThat(DeferredTransformer.watches("sun/net/httpserver/ServerImpl")).isFalse();
        assertThat(DeferredTransformer.waitsFor("io/netty/channel/DefaultChannelPipeline"))
                .isFalse();
        // ThreadPoolExecutor is not watched: it is loaded early and woven by retransformation
        assertThat(DeferredTransformer.watches(ExecutorModule.TARGET)).isFalse();
        assertThat(new ExecutorModule().hooks()).singleElement().matches(MethodHook::isLoadedEarly);
    }
}
