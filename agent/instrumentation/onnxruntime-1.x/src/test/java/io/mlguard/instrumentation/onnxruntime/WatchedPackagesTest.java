package io.mlguard.instrumentation.onnxruntime;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlguard.bootstrap.DeferredTransformer;
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
        List<MethodHook> types = new OnnxRuntimeModule().hooks();
        assertThat(types).isNotEmpty();
        for (MethodHook t : types) {
            assertThat(DeferredTransformer.watches(t.internalName())).as(t.typeName).isTrue();
            assertThat(DeferredTransformer.waitsFor(t.internalName())).as(t.typeName).isTrue();
        }
        assertThat(DeferredTransformer.waitsFor("ai/onnxruntime/OrtSession")).isTrue();
        assertThat(DeferredTransformer.waitsFor("ai/onnxruntime/OnnxTensor")).isFalse();
        assertThat(DeferredTransformer.watches("com/example/OrtSession")).isFalse();
    }
}
