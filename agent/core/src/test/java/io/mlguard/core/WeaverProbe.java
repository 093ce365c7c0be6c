package io.mlguard.core;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import net.bytebuddy.asm.Advice;

/**
 * A class to weave, and advice that records what it saw; public for code woven in another loader.
 */
public final class WeaverProbe {
    public static final AtomicInteger ENTERED = new AtomicInteger();
    public static final AtomicReference<Object> RETURNED = new AtomicReference<>();

    private WeaverProbe() {}

    /** The instrumented class. */
    public static final class Greeter {
        public String greet(String name) {
            return "hello " + name;
        }

        public String other() {
            return "other";
        }
    }

    /** Inlined into {@code greet}. */
    public static final class GreetAdvice {
        private GreetAdvice() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter() {
            ENTERED.incrementAndGet();
        }

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.Return Object value) {
            RETURNED.set(value);
        }
    }
}
