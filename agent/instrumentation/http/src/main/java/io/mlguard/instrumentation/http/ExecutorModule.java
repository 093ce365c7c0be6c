package io.mlguard.instrumentation.http;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.none;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.mlguard.bootstrap.Dispatcher;
import io.mlguard.core.AgentLog;
import io.mlguard.core.InstrumentationModule;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.concurrent.ThreadPoolExecutor;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.scaffold.TypeValidation;

/**
 * Carries the request context across a handoff to a {@code ThreadPoolExecutor} (the executors of
 * {@code Executors.newFixedThreadPool} and friends, and most business executors of servers). Class
 * loader: agent.
 *
 * <p>{@code ThreadPoolExecutor} is a JDK class, usually loaded before the agent is ready, and the
 * start-up transformer only sees the runtimes' and servers' packages. So this module retransforms
 * that one class itself, once the hooks are installed, through a transformer that compares one
 * class name and touches nothing else (every later class load costs one string comparison). The
 * advice only adds code to {@code execute}, which retransformation allows.
 *
 * <p>Not covered: {@code ForkJoinPool} (the common pool of {@code parallelStream} and of {@code
 * CompletableFuture} without an executor), virtual-thread executors, and containers' own thread
 * pools (Jetty's {@code QueuedThreadPool}, Tomcat's copy of {@code ThreadPoolExecutor}).
 */
public final class ExecutorModule implements InstrumentationModule {
    static final String TARGET = "java/util/concurrent/ThreadPoolExecutor";

    @Override
    public String name() {
        return "java-executors";
    }

    @Override
    public AgentBuilder instrument(AgentBuilder builder, Instrumentation inst) {
        try {
            ClassFileTransformer raw =
                    new AgentBuilder.Default(new ByteBuddy().with(TypeValidation.DISABLED))
                            .disableClassFormatChanges()
                            .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                            .with(AgentBuilder.TypeStrategy.Default.DECORATE)
                            .ignore(none())
                            .type(named(ThreadPoolExecutor.class.getName()))
                            .transform(
                                    (b, type, loader, module, domain) ->
                                            b.visit(
                                                    Advice.to(ThreadPoolExecuteAdvice.class)
                                                            .on(
                                                                    named("execute")
                                                                            .and(
                                                                                    takesArguments(
                                                                                            Runnable
                                                                                                    .class)))))
                            .assureReadEdgeTo(inst, Dispatcher.class)
                            .makeRaw();
            inst.addTransformer(new OneClass(raw), true);
            inst.retransformClasses(ThreadPoolExecutor.class);
        } catch (Throwable t) {
            AgentLog.info(
                    "request context is not carried to executors (" + t + "); the rest works");
        }
        return builder;
    }

    /** Hands the one target class to Byte Buddy; every other class is left alone at once. */
    static final class OneClass implements ClassFileTransformer {
        private final ClassFileTransformer delegate;

        OneClass(ClassFileTransformer delegate) {
            this.delegate = delegate;
        }

        @Override
        public byte[] transform(
                Module module,
                ClassLoader loader,
                String className,
                Class<?> classBeingRedefined,
                ProtectionDomain domain,
                byte[] buffer)
                throws java.lang.instrument.IllegalClassFormatException {
            if (loader != null || !TARGET.equals(className)) {
                return null;
            }
            return delegate.transform(
                    module, loader, className, classBeingRedefined, domain, buffer);
        }
    }
}
