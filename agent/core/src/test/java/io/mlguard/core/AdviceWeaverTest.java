package io.mlguard.core;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The premain weaver, on a class defined from its woven bytes in a fresh loader. */
class AdviceWeaverTest {
    static final String GREETER = "io/mlguard/core/WeaverProbe$Greeter";

    final AgentCounters counters = new AgentCounters();
    final AdviceWeaver weaver =
            new AdviceWeaver(
                    List.of(
                            TypeAdvice.on(GREETER.replace('/', '.'))
                                    .advise(named("greet"), WeaverProbe.GreetAdvice.class)),
                    null, // no instrumentation needed: the test class is in no named module
                    counters);

    @BeforeEach
    void reset() {
        WeaverProbe.ENTERED.set(0);
        WeaverProbe.RETURNED.set(null);
    }

    @Test
    void weavesTheNamedMethodAndLeavesItsResultAlone() throws Exception {
        byte[] woven = weaver.transform(null, loader(), GREETER, null, null, original());
        assertThat(woven).isNotNull().isNotEqualTo(original());

        Object greeter = defineAlone(woven).getDeclaredConstructor().newInstance();
        Method greet = greeter.getClass().getMethod("greet", String.class);
        Method other = greeter.getClass().getMethod("other");

        assertThat(greet.invoke(greeter, "ada")).isEqualTo("hello ada");
        assertThat(WeaverProbe.ENTERED).hasValue(1);
        assertThat(WeaverProbe.RETURNED).hasValue("hello ada");
        assertThat(other.invoke(greeter)).isEqualTo("other");
        assertThat(WeaverProbe.ENTERED).as("other() is not advised").hasValue(1);
        assertThat(counters.internalErrors.sum()).isZero();
    }

    @Test
    void leavesOtherClassesUntouched() throws Exception {
        assertThat(weaver.weaves(GREETER)).isTrue();
        assertThat(weaver.weaves("io/mlguard/core/WeaverProbe")).isFalse();
        assertThat(
                        weaver.transform(
                                null,
                                loader(),
                                "io/mlguard/core/WeaverProbe",
                                null,
                                null,
                                original()))
                .isNull();
    }

    @Test
    void aClassItCannotReadLoadsUnchangedAndIsCounted() throws Exception {
        byte[] garbage = {(byte) 0xCA, (byte) 0xFE, 0, 1, 2, 3};
        assertThat(weaver.transform(null, loader(), GREETER, null, null, garbage)).isNull();
        assertThat(counters.internalErrors.sum()).isEqualTo(1);
    }

    private static ClassLoader loader() {
        return AdviceWeaverTest.class.getClassLoader();
    }

    private static byte[] original() throws IOException {
        try (InputStream in = loader().getResourceAsStream(GREETER + ".class")) {
            return in.readAllBytes();
        }
    }

    /** Defines the woven class in a loader of its own, which delegates everything else. */
    private static Class<?> defineAlone(byte[] bytes) throws ClassNotFoundException {
        String name = GREETER.replace('/', '.');
        ClassLoader child =
                new ClassLoader(loader()) {
                    @Override
                    protected Class<?> loadClass(String n, boolean resolve)
                            throws ClassNotFoundException {
                        if (n.equals(name)) {
                            synchronized (getClassLoadingLock(n)) {
                                Class<?> c = findLoadedClass(n);
                                return c != null ? c : defineClass(n, bytes, 0, bytes.length);
                            }
                        }
                        return super.loadClass(n, resolve);
                    }
                };
        return Class.forName(name, true, child);
    }
}
