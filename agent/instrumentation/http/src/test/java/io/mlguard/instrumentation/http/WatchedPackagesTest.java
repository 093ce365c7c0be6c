package io.mlguard.instrumentation.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlguard.bootstrap.DeferredTransformer;
import org.junit.jupiter.api.Test;

/** At premain only watched packages reach Byte Buddy: the classes this module hooks must be. */
class WatchedPackagesTest {
    @Test
    void hookedClassesAreWatched() {
        assertThat(DeferredTransformer.watches("com/sun/net/httpserver/Filter$Chain")).isTrue();
        assertThat(DeferredTransformer.watches("jakarta/servlet/http/HttpServlet")).isTrue();
        assertThat(DeferredTransformer.watches("javax/servlet/http/HttpServlet")).isTrue();
        assertThat(DeferredTransformer.watches("io/netty/channel/AbstractChannelHandlerContext"))
                .isTrue();
        assertThat(DeferredTransformer.watches("sun/net/httpserver/ServerImpl")).isFalse();
        // ThreadPoolExecutor is not watched: ExecutorModule retransforms it itself
        assertThat(DeferredTransformer.watches(ExecutorModule.TARGET)).isFalse();
    }
}
