package io.mlguard.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlguard.core.MethodHook.Methods;
import io.mlguard.core.MethodHook.Value;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The check every instrumentation module's test runs: hooks and advice must agree. */
class HookMismatchesTest {
    private static final String SESSION = "ai.onnxruntime.OrtSession";
    // in a watched package, but not one of the classes the premain waits for
    private static final String UNWATCHED = "ai.onnxruntime.OnnxTensor";

    private static MethodHook hook(String type) {
        return MethodHook.inference(
                type, Methods.named("run"), 1, Value.self(), Value.arg(0), false);
    }

    private static InstrumentationModule module(List<MethodHook> hooks, List<TypeAdvice> advice) {
        return new InstrumentationModule() {
            @Override
            public String name() {
                return "test-module";
            }

            @Override
            public List<MethodHook> hooks() {
                return hooks;
            }

            @Override
            public List<TypeAdvice> typeAdvice() {
                return advice;
            }
        };
    }

    @Test
    void agreeingHooksAndAdviceHaveNoMismatch() {
        assertThat(module(List.of(hook(SESSION)), List.of(TypeAdvice.on(SESSION))).hookMismatches())
                .isEmpty();
    }

    @Test
    void aClassOnlyOneSideNamesIsReported() {
        assertThat(
                        module(List.of(hook(SESSION)), List.of(TypeAdvice.on("ai.djl.Model")))
                                .hookMismatches())
                .singleElement()
                .asString()
                .contains("test-module", SESSION, "ai.djl.Model");
    }

    @Test
    void aHookedClassThePremainDoesNotWaitForAndAnEmptyModuleAreReported() {
        assertThat(
                        module(List.of(hook(UNWATCHED)), List.of(TypeAdvice.on(UNWATCHED)))
                                .hookMismatches())
                .singleElement()
                .asString()
                .contains(UNWATCHED, "not waited for");
        assertThat(module(List.of(), List.of()).hookMismatches())
                .singleElement()
                .asString()
                .contains("no hooks");
    }
}
