package io.mlguard.instrumentation.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlguard.bootstrap.DeferredTransformer;
import io.mlguard.core.TypeAdvice;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * At premain a class waits for the agent only if the premain knows it is instrumented: every class
 * this module hooks must be one it waits for.
 */
class WatchedPackagesTest {
    @Test
    void hookedClassesAreWaitedFor() {
        List<TypeAdvice> types = new JdkHttpServerModule().typeAdvice();
        assertThat(types).isNotEmpty();
        for (TypeAdvice t : types) {
            assertThat(DeferredTransformer.watches(t.internalName())).as(t.typeName).isTrue();
            assertThat(DeferredTransformer.waitsFor(t.internalName())).as(t.typeName).isTrue();
        }
        assertThat(DeferredTransformer.waitsFor("com/sun/net/httpserver/Filter$Chain")).isTrue();
        assertThat(DeferredTransformer.waitsFor("com/sun/net/httpserver/HttpHandler")).isFalse();
        assertThat(DeferredTransformer.watches("jakarta/servlet/http/HttpServlet")).isTrue();
        assertThat(DeferredTransformer.watches("javax/servlet/http/HttpServlet")).isTrue();
        assertThat(DeferredTransformer.watches("io/netty/channel/AbstractChannelHandlerContext"))
                .isTrue();
        assertThat(DeferredTransformer.watches("sun/net/httpserver/ServerImpl")).isFalse();
        // ThreadPoolExecutor is not watched: ExecutorModule retransforms it itself
        assertThat(DeferredTransformer.watches(ExecutorModule.TARGET)).isFalse();
    }
}
