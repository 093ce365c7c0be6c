package io.mlguard.instrumentation.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlguard.bootstrap.DeferredTransformer;
import org.junit.jupiter.api.Test;

/** At premain only watched packages reach Byte Buddy: the classes this module hooks must be. */
class WatchedPackagesTest {
    @Test
    void hookedClassesAreWatched() {
        assertThat(DeferredTransformer.watches("com/sun/net/httpserver/Filter$Chain")).isTrue();
        assertThat(DeferredTransformer.watches("sun/net/httpserver/ServerImpl")).isFalse();
    }
}
