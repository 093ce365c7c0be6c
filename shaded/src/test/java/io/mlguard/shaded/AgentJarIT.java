package io.mlguard.shaded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mlguard.bootstrap.AgentClassLoader;
import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What ships in mlguard.jar: nothing outside the allow-list, and a manifest that works. */
class AgentJarIT {
    /** Every entry of mlguard.jar must match one of these. */
    private static final List<Pattern> ALLOWED =
            List.of(
                    Pattern.compile("META-INF/"),
                    Pattern.compile("META-INF/MANIFEST\\.MF"),
                    Pattern.compile("META-INF/licenses/.*"),
                    Pattern.compile("io/(mlguard/((bootstrap|otel)/)?)?"),
                    Pattern.compile("io/mlguard/bootstrap/[A-Za-z0-9$]+\\.class"),
                    // the OpenTelemetry extension entry point: its listener, visible to the
                    // OpenTelemetry agent's extension loader, and that one service file
                    Pattern.compile("io/mlguard/otel/[A-Za-z0-9$]+\\.class"),
                    Pattern.compile("META-INF/services/"),
                    Pattern.compile(
                            "META-INF/services/io\\.opentelemetry\\.javaagent\\.extension\\.AgentListener"),
                    // hidden classes: ours, or relocated under io/mlguard/shaded, never a .class
                    Pattern.compile("inst/(META-INF/versions/\\d+/)?(io/(mlguard/.*)?)?"),
                    Pattern.compile("inst/(META-INF/versions/\\d+/)?io/mlguard/.+\\.classdata"),
                    // hidden resources: service files and Chronicle's data files
                    Pattern.compile("inst/(META-INF/(services/|licenses/)?)?"),
                    Pattern.compile("inst/META-INF/versions/(\\d+/)?"),
                    Pattern.compile("inst/META-INF/services/io\\.mlguard\\.[A-Za-z0-9.$]+"),
                    Pattern.compile("inst/META-INF/licenses/.*"),
                    Pattern.compile("inst/[a-z-]+\\.txt"));

    static File jarFile;
    static List<String> entries;

    @BeforeAll
    static void open() throws Exception {
        jarFile = new File(System.getProperty("mlguard.jar", "target/mlguard.jar"));
        assertThat(jarFile).isFile();
        entries = new ArrayList<>();
        try (JarFile jar = new JarFile(jarFile)) {
            for (JarEntry e : Collections.list(jar.entries())) {
                entries.add(e.getName());
            }
        }
    }

    @Test
    void everyEntryIsOnTheAllowList() {
        assertThat(entries).as("entries scanned").hasSizeGreaterThan(1000);
        List<String> unexpected = new ArrayList<>();
        for (String e : entries) {
            if (ALLOWED.stream().noneMatch(p -> p.matcher(e).matches())) {
                unexpected.add(e);
            }
        }
        assertThat(unexpected).as("entries outside the allow-list").isEmpty();
    }

    @Test
    void runtimesAndNativeCodeAreNeverBundled() throws Exception {
        // the only native code is the agent's own two JNI shims, for ONNX Runtime's tensors and for
        // the queue's mapped file (a few KB each, linking no runtime: ONNX Runtime's API table
        // comes from the application's own copy at run time)
        String ortShim =
                "inst/io/mlguard/instrumentation/onnxruntime/libmlguard-ort-linux-x86_64.so";
        String queueShim = "inst/io/mlguard/core/queue/libmlguard-queue-linux-x86_64.so";
        assertThat(entries)
                .noneMatch(e -> e.contains("ai/onnxruntime") || e.contains("ai/djl"))
                .noneMatch(e -> e.contains("org/tensorflow"))
                .filteredOn(e -> e.endsWith(".so") || e.endsWith(".dll") || e.endsWith(".dylib"))
                .containsExactlyInAnyOrder(ortShim, queueShim);
        try (JarFile jar = new JarFile(jarFile)) {
            for (String shim : List.of(ortShim, queueShim)) {
                JarEntry so = jar.getJarEntry(shim);
                assertThat(so.getSize()).as(shim).isBetween(1L, 64L * 1024);
                String bytes =
                        new String(
                                jar.getInputStream(so).readAllBytes(),
                                java.nio.charset.StandardCharsets.ISO_8859_1);
                assertThat(bytes).as(shim).startsWith("\u007fELF").doesNotContain("libonnxruntime");
            }
        }
        assertThat(entries)
                .noneMatch(e -> e.contains("chronicle/analytics") || e.contains("com/sun/jna"));
        assertThat(entries)
                .contains("inst/io/mlguard/shaded/net/bytebuddy/jar/asm/ClassReader.classdata")
                .contains(
                        "inst/io/mlguard/shaded/net/openhft/chronicle/queue/ChronicleQueue.classdata");
        // of Byte Buddy only its repackaged ASM, which the agent's weaver uses
        assertThat(entries)
                .filteredOn(e -> e.endsWith(".classdata") && e.contains("/net/bytebuddy/"))
                .isNotEmpty()
                .allMatch(e -> e.startsWith("inst/io/mlguard/shaded/net/bytebuddy/jar/asm/"));
    }

    @Test
    void itIsAlsoAnOpenTelemetryExtensionThatBundlesNoOpenTelemetry() throws Exception {
        try (JarFile jar = new JarFile(jarFile)) {
            JarEntry service =
                    jar.getJarEntry(
                            "META-INF/services/io.opentelemetry.javaagent.extension.AgentListener");
            assertThat(service).as("extension service file at the jar's root").isNotNull();
            String listener =
                    new String(jar.getInputStream(service).readAllBytes(), "UTF-8").trim();
            assertThat(listener).isEqualTo("io.mlguard.otel.MlguardAgentListener");
            assertThat(entries).contains("io/mlguard/otel/MlguardAgentListener.class");
        }
        assertThat(entries)
                .as("the OpenTelemetry agent provides its API; mlguard.jar never carries it")
                .noneMatch(e -> e.contains("io/opentelemetry/"));
    }

    @Test
    void manifestMakesItAnAgent() throws Exception {
        try (JarFile jar = new JarFile(jarFile)) {
            Attributes a = jar.getManifest().getMainAttributes();
            assertThat(a.getValue("Premain-Class")).isEqualTo("io.mlguard.bootstrap.AgentPremain");
            assertThat(a.getValue("Agent-Class")).isEqualTo("io.mlguard.bootstrap.AgentPremain");
            assertThat(a.getValue("Main-Class")).isEqualTo("io.mlguard.bootstrap.AgentPremain");
            assertThat(a.getValue("Can-Retransform-Classes")).isEqualTo("true");
            assertThat(a.getValue("Can-Redefine-Classes")).isEqualTo("true");
            assertThat(a.getValue("Multi-Release")).isEqualTo("true");
        }
    }

    @Test
    void theHiddenLoaderDefinesEveryAgentClass() throws Exception {
        List<String> names = new ArrayList<>();
        for (String e : entries) {
            if (e.startsWith("inst/io/mlguard/")
                    && !e.startsWith("inst/io/mlguard/shaded/")
                    && e.endsWith(".classdata")) {
                names.add(
                        e.substring("inst/".length(), e.length() - ".classdata".length())
                                .replace('/', '.'));
            }
        }
        assertThat(names).as("agent classes found").hasSizeGreaterThan(20);
        // In the JVM the bootstrap loader sees io/mlguard/bootstrap (premain appends the jar);
        // here a loader over the jar alone plays that part.
        try (JarFile jar = new JarFile(jarFile);
                URLClassLoader bootstrapLike =
                        new URLClassLoader(
                                new URL[] {jarFile.toURI().toURL()},
                                ClassLoader.getPlatformClassLoader())) {
            AgentClassLoader loader =
                    new AgentClassLoader(jar, jarFile.toURI().toURL(), bootstrapLike);
            for (String n : names) {
                Class<?> c = Class.forName(n, false, loader);
                assertThat(c.getClassLoader()).isSameAs(loader);
            }
            // relocated ASM and Chronicle resolve inside the loader, not from the class path
            Class<?> reader =
                    Class.forName(
                            "io.mlguard.shaded.net.bytebuddy.jar.asm.ClassReader", false, loader);
            assertThat(reader.getClassLoader()).isSameAs(loader);
            assertThat(
                            loader.getResource(
                                    "META-INF/services/io.mlguard.core.InstrumentationModule"))
                    .isNotNull();
            // under -javaagent the system loader has mlguard.jar on its class path, like this one
            assertThat(bootstrapLike.getResource("io/mlguard/core/AgentInstaller.class"))
                    .as("a class path loader must not see agent classes")
                    .isNull();
            assertThatThrownBy(
                            () ->
                                    Class.forName(
                                            "io.mlguard.shaded.net.bytebuddy.jar.asm.ClassReader",
                                            false,
                                            bootstrapLike))
                    .isInstanceOf(ClassNotFoundException.class);
        }
    }
}
