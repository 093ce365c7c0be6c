package io.mlguard.instrumentation.onnxruntime;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlguard.bootstrap.DeferredTransformer;
import org.junit.jupiter.api.Test;

/** At premain only watched packages reach Byte Buddy: the classes this module hooks must be. */
class WatchedPackagesTest {
    @Test
    void hookedClassesAreWatched() {
        assertThat(DeferredTransformer.watches("ai/onnxruntime/OrtSession")).isTrue();
        assertThat(DeferredTransformer.watches("ai/onnxruntime/OrtEnvironment")).isTrue();
        assertThat(DeferredTransformer.watches("com/example/OrtSession")).isFalse();
    }
}
