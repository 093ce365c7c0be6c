package io.mlguard.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mlguard.bootstrap.ClientBlockedException;
import io.mlguard.bootstrap.Dispatcher;
import io.mlguard.bootstrap.Hooks;
import io.mlguard.core.MethodHook.Methods;
import io.mlguard.core.MethodHook.Value;
import io.mlguard.core.config.IgnoredLoaders;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.FieldVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The premain's hook weaver, on a class defined from its woven bytes in a fresh loader (the JVM's
 * verifier checks the inserted code and frames), calling a recording {@link Hooks}.
 */
class HookWeaverTest {
    static final String SESSION = "io/mlguard/core/HookProbe$Session";
    static final String TYPE = SESSION.replace('/', '.');

    final List<String> calls = new ArrayList<>();
    final AgentCounters counters = new AgentCounters();
    volatile boolean block;

    final Hooks recording =
            new Hooks() {
                @Override
                public void checkAllowed(int runtime, Object target) {
                    calls.add("check " + runtime + " " + name(target));
                    if (block) {
                        throw new ClientBlockedException("blocked");
                    }
                }

                @Override
                public long enterInference(int runtime) {
                    calls.add("enter " + runtime);
                    return 42;
                }

                @Override
                public void exitInference(
                        int runtime,
                        long token,
                        Object target,
                        Object input,
                        Object result,
                        Throwable thrown) {
                    calls.add(
                            "exit "
                                    + runtime
                                    + " "
                                    + token
                                    + " "
                                    + name(target)
                                    + " "
                                    + input
                                    + " "
                                    + result
                                    + " "
                                    + thrown);
                }

                @Override
                public long enterModelLoad(int runtime) {
                    calls.add("load " + runtime);
                    return 7;
                }

                @Override
                public void exitModelLoad(
                        int runtime,
                        long token,
                        Object model,
                        Object source,
                        Object options,
                        Throwable thrown) {
                    calls.add(
                            "loaded "
                                    + token
                                    + " "
                                    + name(model)
                                    + " "
                                    + source
                                    + " "
                                    + (options == null
                                            ? null
                                            : java.util.Arrays.toString((Object[]) options))
                                    + " "
                                    + thrown);
                }

                @Override
                public void enterRequest(int server, Object request) {
                    calls.add("request " + server + " " + request);
                }

                @Override
                public void exitRequest(int server) {
                    calls.add("done " + server);
                }

                @Override
                public boolean enterMessage(int server, Object message, Object connection) {
                    throw new IllegalStateException("a failing hook is swallowed");
                }
            };

    @BeforeEach
    void install() {
        Dispatcher.install(recording);
    }

    @AfterEach
    void uninstall() {
        Dispatcher.install(null);
    }

    static String name(Object o) {
        if (o == null) {
            return "null";
        }
        String n =
                o.getClass().getName(); // not getSimpleName: the woven class is alone in its loader
        return n.substring(Math.max(n.lastIndexOf('.'), n.lastIndexOf('$')) + 1);
    }

    private Class<?> woven(MethodHook... hooks) throws Exception {
        HookWeaver weaver = new HookWeaver(List.of(hooks), null, counters);
        byte[] bytes = weaver.transform(null, loader(), SESSION, null, null, original());
        assertThat(bytes).isNotNull();
        assertThat(counters.internalErrors.sum()).isZero();
        return defineAlone(bytes);
    }

    private static MethodHook runHook() {
        return MethodHook.inference(
                TYPE,
                Methods.named("run").isPublic().takesArgument(0, "java.util.Map"),
                3,
                Value.self(),
                Value.arg(0),
                true);
    }

    @Test
    void anInferenceIsEnteredAndExitedWithItsResultOnEveryReturn() throws Exception {
        Class<?> c = woven(runHook());
        Object session = c.getConstructor(Object.class).newInstance("out");
        Method run = c.getMethod("run", Map.class);
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("a", "60");
        in.put("b", "x");
        assertThat(run.invoke(session, in)).isEqualTo("sum 59");
        in.put("c", "50");
        assertThat(run.invoke(session, in)).isEqualTo("big 109");
        assertThat(calls)
                .containsExactly(
                        "check 3 Session",
                        "enter 3",
                        "exit 3 42 Session {a=60, b=x} sum 59 null",
                        "check 3 Session",
                        "enter 3",
                        "exit 3 42 Session {a=60, b=x, c=50} big 109 null");
        assertThat(c.getMethod("unhooked").invoke(session)).isEqualTo("out");
        assertThat(calls).as("an unhooked method calls nothing").hasSize(6);
    }

    @Test
    void aThrowIsExitedWithTheThrowableWhichStillReachesTheCaller() throws Exception {
        Class<?> c = woven(runHook());
        Object session = c.getConstructor(Object.class).newInstance("out");
        assertThatThrownBy(() -> c.getMethod("run", Map.class).invoke(session, Map.of("fail", 1)))
                .isInstanceOf(InvocationTargetException.class)
                .cause()
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bad input");
        assertThat(calls).hasSize(3);
        assertThat(calls.get(2))
                .startsWith("exit 3 42 Session {fail=1} null java.lang.IllegalArgumentException");
    }

    @Test
    void aBlockedClientIsRefusedBeforeTheInferenceEnters() throws Exception {
        Class<?> c = woven(runHook());
        Object session = c.getConstructor(Object.class).newInstance("out");
        block = true;
        assertThatThrownBy(() -> c.getMethod("run", Map.class).invoke(session, Map.of()))
                .cause()
                .isInstanceOf(ClientBlockedException.class);
        assertThat(calls).containsExactly("check 3 Session");
    }

    @Test
    void aPrimitiveResultIsReturnedUnchangedAndReportedAsNull() throws Exception {
        Class<?> c =
                woven(
                        MethodHook.inference(
                                TYPE,
                                Methods.named("count"),
                                1,
                                Value.field("outputs"),
                                Value.arg(0),
                                false));
        Object session = c.getConstructor(Object.class).newInstance("out");
        assertThat(c.getMethod("count", Map.class).invoke(session, Map.of("a", 1, "b", 2)))
                .isEqualTo(2L);
        assertThat(calls).hasSize(2);
        assertThat(calls.get(1)).startsWith("exit 1 42 String {").endsWith("} null null");
    }

    @Test
    void aStaticModelLoadGetsItsArgumentsBoxedAndItsModel() throws Exception {
        Class<?> c =
                woven(
                        MethodHook.modelLoad(
                                TYPE,
                                Methods.named("load").takesArguments(4),
                                2,
                                Value.arg(0),
                                Value.allArgs()));
        Method load = c.getMethod("load", String.class, int.class, long.class, double.class);
        assertThat(load.invoke(null, "/m.onnx", 4, 9L, 0.5)).isNotNull();
        assertThatThrownBy(() -> load.invoke(null, "", 1, 2L, 3.0))
                .cause()
                .isInstanceOf(IllegalStateException.class);
        assertThat(calls)
                .containsExactly(
                        "load 2",
                        "loaded 7 Session /m.onnx [/m.onnx, 4, 9, 0.5] null",
                        "load 2",
                        "loaded 7 null  [, 1, 2, 3.0] java.lang.IllegalStateException: no path");
    }

    @Test
    void aRequestIsEnteredAndExitedOnReturnAndThrow() throws Exception {
        Class<?> c =
                woven(
                        MethodHook.request(
                                TYPE, Methods.named("serve").takesArguments(1), 0, Value.arg(0)));
        Object session = c.getConstructor(Object.class).newInstance("out");
        Method serve = c.getMethod("serve", Object.class);
        serve.invoke(session, "GET /");
        assertThatThrownBy(() -> serve.invoke(session, (Object) null))
                .cause()
                .isInstanceOf(NullPointerException.class);
        assertThat(calls).containsExactly("request 0 GET /", "done 0", "request 0 null", "done 0");
    }

    @Test
    void aFailingHookIsSwallowedAndAFetchlessRunIsNotAnInference() throws Exception {
        Class<?> c =
                woven(
                        MethodHook.message(
                                TYPE, Methods.named("serve"), 1, Value.arg(0), Value.self()),
                        MethodHook.fetchingInference(
                                TYPE,
                                Methods.named("fetch").takesArguments(0),
                                2,
                                Value.field("outputs"),
                                Value.self(),
                                Value.arg(0))); // fetch() has no argument 0: null
        Object empty = c.getConstructor(Object.class).newInstance(List.of());
        c.getMethod("serve", Object.class).invoke(empty, "message");
        assertThat(c.getMethod("fetch").invoke(empty)).isEqualTo("fetched");
        assertThat(calls).as("enterMessage threw; nothing fetched").isEmpty();
        Object fetching = c.getConstructor(Object.class).newInstance(List.of("y"));
        assertThat(c.getMethod("fetch").invoke(fetching)).isEqualTo("fetched");
        assertThat(calls)
                .containsExactly(
                        "check 2 Session", "enter 2", "exit 2 42 Session null fetched null");
    }

    @Test
    void aClassItCannotReadLoadsUnchangedAndIsCounted() {
        HookWeaver weaver = new HookWeaver(List.of(runHook()), null, counters);
        assertThat(weaver.weaves(SESSION)).isTrue();
        assertThat(weaver.weaves("io/mlguard/core/HookProbe")).isFalse();
        byte[] garbage = {(byte) 0xCA, (byte) 0xFE, 0, 1, 2, 3};
        assertThat(weaver.transform(null, loader(), SESSION, null, null, garbage)).isNull();
        assertThat(counters.internalErrors.sum()).isEqualTo(1);
    }

    @Test
    void aClassOfAnIgnoredLoaderLoadsUnchanged() throws Exception {
        HookWeaver weaver =
                new HookWeaver(
                        List.of(runHook()),
                        null,
                        counters,
                        IgnoredLoaders.parse(loader().getClass().getName()));
        assertThat(weaver.transform(null, loader(), SESSION, null, null, original())).isNull();
        assertThat(weaver.transform(null, null, SESSION, null, null, original()))
                .isNotNull(); // the bootstrap loader's classes are never ignored
        assertThat(counters.internalErrors.sum()).isZero();
    }

    /**
     * Retransformation (attach, JDK classes) may change method bodies only: the woven class keeps
     * its header, fields, methods (names, descriptors, modifiers, exceptions) and class attributes,
     * and every hooked method's code changes.
     */
    @Test
    void weavingChangesMethodBodiesOnly() throws Exception {
        MethodHook[] all = {
            runHook(),
            MethodHook.inference(
                    TYPE, Methods.named("count"), 1, Value.field("outputs"), Value.arg(0), false),
            MethodHook.modelLoad(
                    TYPE,
                    Methods.named("load").takesArguments(4),
                    2,
                    Value.arg(0),
                    Value.allArgs()),
            MethodHook.message(TYPE, Methods.named("serve"), 1, Value.arg(0), Value.self()),
            MethodHook.fetchingInference(
                    TYPE,
                    Methods.named("fetch"),
                    2,
                    Value.field("outputs"),
                    Value.self(),
                    Value.none())
        };
        byte[] original = original();
        byte[] woven = HookWeaver.weave(List.of(all), original);
        assertThat(schema(woven)).isEqualTo(schema(original)).isNotEmpty();
        Map<String, Integer> before = instructionCounts(original);
        Map<String, Integer> after = instructionCounts(woven);
        assertThat(after.keySet()).isEqualTo(before.keySet());
        for (String m : List.of("run", "count", "load", "serve", "fetch")) {
            assertThat(after.get(m)).as(m).isGreaterThan(before.get(m));
        }
        assertThat(after.get("unhooked")).isEqualTo(before.get("unhooked"));
    }

    /** Everything of a class file that retransformation must keep, one line each. */
    private static List<String> schema(byte[] bytes) {
        List<String> lines = new ArrayList<>();
        new ClassReader(bytes)
                .accept(
                        new ClassVisitor(Opcodes.ASM9) {
                            @Override
                            public void visit(
                                    int version,
                                    int access,
                                    String name,
                                    String signature,
                                    String superName,
                                    String[] interfaces) {
                                lines.add(
                                        "class "
                                                + version
                                                + " "
                                                + access
                                                + " "
                                                + name
                                                + " "
                                                + signature
                                                + " "
                                                + superName
                                                + " "
                                                + java.util.Arrays.toString(interfaces));
                            }

                            @Override
                            public void visitNestHost(String nestHost) {
                                lines.add("nest host " + nestHost);
                            }

                            @Override
                            public void visitNestMember(String nestMember) {
                                lines.add("nest member " + nestMember);
                            }

                            @Override
                            public void visitInnerClass(
                                    String name, String outer, String inner, int access) {
                                lines.add(
                                        "inner " + name + " " + outer + " " + inner + " " + access);
                            }

                            @Override
                            public FieldVisitor visitField(
                                    int access,
                                    String name,
                                    String descriptor,
                                    String signature,
                                    Object value) {
                                lines.add(
                                        "field "
                                                + access
                                                + " "
                                                + name
                                                + " "
                                                + descriptor
                                                + " "
                                                + signature
                                                + " "
                                                + value);
                                return null;
                            }

                            @Override
                            public MethodVisitor visitMethod(
                                    int access,
                                    String name,
                                    String descriptor,
                                    String signature,
                                    String[] exceptions) {
                                lines.add(
                                        "method "
                                                + access
                                                + " "
                                                + name
                                                + descriptor
                                                + " "
                                                + signature
                                                + " "
                                                + java.util.Arrays.toString(exceptions));
                                return null;
                            }
                        },
                        0);
        return lines;
    }

    /**
     * Each method's count of plain, local-variable and call instructions, by name (no overloads).
     */
    private static Map<String, Integer> instructionCounts(byte[] bytes) {
        Map<String, Integer> counts = new TreeMap<>();
        new ClassReader(bytes)
                .accept(
                        new ClassVisitor(Opcodes.ASM9) {
                            @Override
                            public MethodVisitor visitMethod(
                                    int access,
                                    String name,
                                    String descriptor,
                                    String signature,
                                    String[] exceptions) {
                                MethodVisitor counting =
                                        new MethodVisitor(Opcodes.ASM9) {
                                            int insns;

                                            @Override
                                            public void visitInsn(int opcode) {
                                                insns++;
                                            }

                                            @Override
                                            public void visitVarInsn(int opcode, int var) {
                                                insns++;
                                            }

                                            @Override
                                            public void visitMethodInsn(
                                                    int opcode,
                                                    String owner,
                                                    String n,
                                                    String d,
                                                    boolean itf) {
                                                insns++;
                                            }

                                            @Override
                                            public void visitEnd() {
                                                counts.put(name, insns);
                                            }
                                        };
                                return counting;
                            }
                        },
                        0);
        return counts;
    }

    private static ClassLoader loader() {
        return HookWeaverTest.class.getClassLoader();
    }

    private static byte[] original() throws IOException {
        try (InputStream in = loader().getResourceAsStream(SESSION + ".class")) {
            return in.readAllBytes();
        }
    }

    /** Defines the woven class in a loader of its own, which delegates everything else. */
    private static Class<?> defineAlone(byte[] bytes) throws ClassNotFoundException {
        ClassLoader child =
                new ClassLoader(loader()) {
                    @Override
                    protected Class<?> loadClass(String n, boolean resolve)
                            throws ClassNotFoundException {
                        if (n.equals(TYPE)) {
                            synchronized (getClassLoadingLock(n)) {
                                Class<?> c = findLoadedClass(n);
                                return c != null ? c : defineClass(n, bytes, 0, bytes.length);
                            }
                        }
                        return super.loadClass(n, resolve);
                    }
                };
        return Class.forName(TYPE, true, child);
    }
}
