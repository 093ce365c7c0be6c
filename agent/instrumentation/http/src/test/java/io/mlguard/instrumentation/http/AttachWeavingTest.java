package io.mlguard.instrumentation.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlguard.bootstrap.Dispatcher;
import io.mlguard.bootstrap.Hooks;
import io.mlguard.core.AgentCounters;
import io.mlguard.core.LoadedClassWeaver;
import io.mlguard.core.MethodHook;
import io.mlguard.core.MethodHook.Methods;
import io.mlguard.core.MethodHook.Value;
import io.mlguard.core.config.IgnoredLoaders;
import java.lang.instrument.Instrumentation;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.jar.JarFile;
import net.bytebuddy.agent.ByteBuddyAgent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Attaching weaves the modules' hooks with the same weaver as premain: into a hooked class already
 * loaded, by retransformation, and into one that loads afterwards, as it loads.
 */
class AttachWeavingTest {
    static final String EARLIER = "io.mlguard.instrumentation.http.AttachProbe$Earlier";
    static final String LATER = "io.mlguard.instrumentation.http.AttachProbe$Later";
    static final String KEPT = "io.mlguard.instrumentation.http.AttachProbe$Kept";
    static final List<String> CALLS = new CopyOnWriteArrayList<>();

    static Instrumentation inst;

    /** Loaded only after the bootstrap classes are on the bootstrap path (as in the agent). */
    static final class RecordingHooks {
        static final Hooks HOOKS =
                new Hooks() {
                    @Override
                    public void checkAllowed(int runtime, Object target) {}

                    @Override
                    public long enterInference(int runtime) {
                        return 0;
                    }

                    @Override
                    public void exitInference(
                            int runtime,
                            long token,
                            Object target,
                            Object input,
                            Object result,
                            Throwable thrown) {}

                    @Override
                    public long enterModelLoad(int runtime) {
                        return 0;
                    }

                    @Override
                    public void exitModelLoad(
                            int r, long t, Object m, Object s, Object o, Throwable e) {}

                    @Override
                    public void enterRequest(int server, Object request) {
                        CALLS.add("enter " + server + " " + request);
                    }

                    @Override
                    public void exitRequest(int server) {
                        CALLS.add("exit " + server);
                    }
                };
    }

    @BeforeAll
    static void bootstrap() throws Exception {
        inst = ByteBuddyAgent.install();
        inst.appendToBootstrapClassLoaderSearch(
                new JarFile(ExecutorModuleTest.bootstrapJar().toFile()));
        Dispatcher.install(RecordingHooks.HOOKS);
    }

    @AfterAll
    static void uninstall() {
        Dispatcher.install(null);
    }

    @BeforeEach
    void forgetCalls() {
        CALLS.clear();
    }

    private static MethodHook hook(String type) {
        return MethodHook.request(type, Methods.named("serve").takesArguments(1), 7, Value.arg(0));
    }

    private static boolean loaded(String name) {
        return Arrays.stream(inst.getAllLoadedClasses()).anyMatch(c -> c.getName().equals(name));
    }

    @Test
    void loadedClassesAreRetransformedAndLaterOnesWovenAsTheyLoad() throws Exception {
        ClassLoader loader = AttachWeavingTest.class.getClassLoader();
        Class<?> earlier = Class.forName(EARLIER, true, loader);
        assertThat(loaded(LATER)).isFalse();
        AgentCounters counters = new AgentCounters();

        String said =
                LoadedClassWeaver.attach(
                        List.of(hook(EARLIER), hook(LATER)), inst, counters, IgnoredLoaders.NONE);

        assertThat(said)
                .startsWith(
                        "attached: 1 hooked classes already loaded, 1 woven by retransformation"
                                + " in 1 batch;");
        Class<?> later = Class.forName(LATER, true, loader);
        Object a =
                earlier.getMethod("serve", Object.class)
                        .invoke(earlier.getConstructor().newInstance(), "a");
        Object b =
                later.getMethod("serve", Object.class)
                        .invoke(later.getConstructor().newInstance(), "b");
        assertThat(a).isEqualTo("earlier a");
        assertThat(b).isEqualTo("later b");
        assertThat(CALLS).containsExactly("enter 7 a", "exit 7", "enter 7 b", "exit 7");
        assertThat(counters.internalErrors.sum()).isZero();
    }

    /** A loader whose classes the agent is told to leave alone; loads the test's classes itself. */
    static final class IgnoredLoader extends URLClassLoader {
        IgnoredLoader() {
            super(
                    new URL[] {
                        AttachProbe.class.getProtectionDomain().getCodeSource().getLocation()
                    },
                    null);
        }
    }

    @Test
    void anIgnoredLoadersClassesAreNeitherRetransformedNorWovenAsTheyLoad() throws Exception {
        Class<?> before = Class.forName(KEPT, true, new IgnoredLoader());
        assertThat(before.getClassLoader()).isInstanceOf(IgnoredLoader.class);
        AgentCounters counters = new AgentCounters();

        String said =
                LoadedClassWeaver.attach(
                        List.of(hook(KEPT)),
                        inst,
                        counters,
                        IgnoredLoaders.parse(IgnoredLoader.class.getName()));

        assertThat(said).startsWith("attached: 0 hooked classes already loaded");
        Class<?> after = Class.forName(KEPT, true, new IgnoredLoader());
        Class<?> watched = Class.forName(KEPT, true, AttachWeavingTest.class.getClassLoader());
        for (Class<?> c : List.of(before, after, watched)) {
            Object answer =
                    c.getMethod("serve", Object.class)
                            .invoke(c.getConstructor().newInstance(), c == watched ? "w" : "i");
            assertThat(answer).isEqualTo(c == watched ? "kept w" : "kept i");
        }
        assertThat(CALLS).containsExactly("enter 7 w", "exit 7");
        assertThat(counters.internalErrors.sum()).isZero();
    }
}
