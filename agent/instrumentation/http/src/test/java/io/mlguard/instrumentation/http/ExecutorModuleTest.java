package io.mlguard.instrumentation.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlguard.bootstrap.Dispatcher;
import io.mlguard.bootstrap.Hooks;
import io.mlguard.core.AgentCounters;
import io.mlguard.core.LoadedClassWeaver;
import java.lang.instrument.Instrumentation;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import net.bytebuddy.agent.ByteBuddyAgent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The JDK's ThreadPoolExecutor, already loaded, is retransformed by the light weaver, as the agent
 * does once its hooks are installed: tasks handed over while a context is current run in it, other
 * tasks run untouched, and submit still returns working futures.
 */
class ExecutorModuleTest {
    static final ThreadLocal<Object> CURRENT = new ThreadLocal<>();
    static final List<Object> SEEN = new CopyOnWriteArrayList<>();
    static final String DISPATCHER = "io/mlguard/bootstrap/Dispatcher.class";

    /**
     * Loaded only after the bootstrap classes are on the bootstrap path, so that it implements the
     * same {@code Hooks} the JDK's executor sees.
     */
    static final class ContextHooks {
        static final Hooks HOOKS =
                new Hooks() {
                    @Override
                    public Object captureContext() {
                        return CURRENT.get();
                    }

                    @Override
                    public Object attachContext(Object context) {
                        Object previous = CURRENT.get();
                        CURRENT.set(context);
                        return previous;
                    }

                    @Override
                    public void detachContext(Object previous) {
                        CURRENT.set(previous);
                    }

                    @Override
                    public void checkAllowed(int runtime, Object target) {}

                    @Override
                    public long enterInference(int runtime) {
                        return 0;
                    }

                    @Override
                    public void exitInference(
                            int r, long t, Object target, Object in, Object out, Throwable e) {}

                    @Override
                    public long enterModelLoad(int runtime) {
                        return 0;
                    }

                    @Override
                    public void exitModelLoad(
                            int r, long t, Object m, Object s, Object o, Throwable e) {}

                    @Override
                    public void enterRequest(int server, Object request) {}

                    @Override
                    public void exitRequest(int server) {}
                };
    }

    @BeforeAll
    static void instrument() throws Exception {
        new ThreadPoolExecutor(1, 1, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>()).shutdown();
        Instrumentation inst = ByteBuddyAgent.install();
        // as premain does: the dispatcher must be visible from the JDK's own classes
        inst.appendToBootstrapClassLoaderSearch(new JarFile(bootstrapJar().toFile()));
        LoadedClassWeaver.weave(new ExecutorModule().hooks(), inst, new AgentCounters());
        Dispatcher.install(ContextHooks.HOOKS);
        assertThat(Dispatcher.class.getClassLoader())
                .as("the dispatcher is a bootstrap class")
                .isNull();
    }

    /** The bootstrap module's classes as a jar (from the reactor's jar or its class folder). */
    static Path bootstrapJar() throws Exception {
        URL url = ExecutorModuleTest.class.getClassLoader().getResource(DISPATCHER);
        String s = url.toString();
        if (s.startsWith("jar:file:")) {
            return Path.of(URI.create(s.substring(4, s.indexOf("!/"))));
        }
        Path classes = Path.of(url.toURI()).getParent().getParent().getParent().getParent();
        Path jar = Files.createTempFile("mlguard-bootstrap", ".jar");
        jar.toFile().deleteOnExit();
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
                Stream<Path> files = Files.walk(classes.resolve("io/mlguard/bootstrap"))) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                out.putNextEntry(new JarEntry(classes.relativize(f).toString()));
                out.write(Files.readAllBytes(f));
                out.closeEntry();
            }
        }
        return jar;
    }

    @AfterAll
    static void uninstall() {
        Dispatcher.install(null);
    }

    @Test
    void contextFollowsTasksAndOnlyThem() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(1);
        try {
            CURRENT.set("request-1");
            pool.execute(() -> SEEN.add(String.valueOf(CURRENT.get())));
            Future<Object> f = pool.submit(() -> CURRENT.get());
            CURRENT.remove();
            assertThat(f.get(30, TimeUnit.SECONDS)).isEqualTo("request-1");
            Future<Object> outside = pool.submit(() -> String.valueOf(CURRENT.get()));
            assertThat(outside.get(30, TimeUnit.SECONDS))
                    .as("the worker thread does not keep the context")
                    .isEqualTo("null");
            assertThat(SEEN).containsExactly("request-1");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void afterExecuteStillSeesAFuture() throws Exception {
        List<Object> after = new CopyOnWriteArrayList<>();
        ThreadPoolExecutor pool =
                new ThreadPoolExecutor(1, 1, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>()) {
                    @Override
                    protected void afterExecute(Runnable r, Throwable t) {
                        after.add(r instanceof Future);
                    }
                };
        try {
            CURRENT.set("request-2");
            Future<?> f = pool.submit(() -> 1);
            CURRENT.remove();
            assertThat(f.get(30, TimeUnit.SECONDS)).isEqualTo(1);
        } finally {
            pool.shutdown();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(after).containsExactly(true);
    }
}
