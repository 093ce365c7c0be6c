package io.mlguard.instrumentation.http;

import io.mlguard.core.InstrumentationModule;
import io.mlguard.core.MethodHook;
import io.mlguard.core.MethodHook.Methods;
import java.util.List;

/**
 * Carries the request context across a handoff to a {@code ThreadPoolExecutor} (the executors of
 * {@code Executors.newFixedThreadPool} and friends, and most business executors of servers). Class
 * loader: agent.
 *
 * <p>{@code ThreadPoolExecutor} is a JDK class, usually loaded before the agent is ready and
 * outside the packages the premain's transformer watches: the agent weaves it by retransformation
 * once its hooks are installed ({@link MethodHook#isLoadedEarly}). The hook only adds code to
 * {@code execute}, which retransformation allows.
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
    public List<MethodHook> hooks() {
        return List.of(
                MethodHook.wrapTask(
                        TARGET.replace('/', '.'),
                        Methods.named("execute")
                                .takesArguments(1)
                                .takesArgument(0, "java.lang.Runnable")));
    }
}
