package io.mlguard.instrumentation.tensorflow;

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
        List<TypeAdvice> types = new TensorFlowModule().typeAdvice();
        assertThat(types).isNotEmpty();
        for (TypeAdvice t : types) {
            assertThat(DeferredTransformer.watches(t.internalName())).as(t.typeName).isTrue();
            assertThat(DeferredTransformer.waitsFor(t.internalName())).as(t.typeName).isTrue();
        }
        assertThat(DeferredTransformer.waitsFor("org/tensorflow/Tensor")).isFalse();
    }

    /**
     * The premain weaves the modules' hooks, attaching weaves their advice: both must name the same
     * classes, each hooked class being waited for at premain (or woven by retransformation).
     */
    @Test
    void premainHooksNameTheClassesTheAdviceNames() {
        for (io.mlguard.core.InstrumentationModule m : List.of(new TensorFlowModule())) {
            assertThat(m.hookMismatches()).as(m.name()).isEmpty();
        }
    }
}
