package io.mlguard.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the hidden loader finds its entries, multi-release copies included. */
class AgentClassLoaderTest {
    @TempDir Path dir;

    @Test
    void prefersTheHighestVersionedCopyNotAboveTheRunningJava() throws IOException {
        Path jarPath = dir.resolve("agent.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jarPath))) {
            // directory entries, as the jar task that builds mlguard.jar writes them
            for (String d : new String[] {"9", "11", "9999"}) {
                put(out, "inst/META-INF/versions/" + d + "/");
                put(out, "inst/META-INF/versions/" + d + "/a/");
            }
            put(out, "inst/a/Both.classdata");
            put(out, "inst/META-INF/versions/11/a/Both.classdata");
            put(out, "inst/META-INF/versions/9/a/Both.classdata");
            put(out, "inst/META-INF/versions/9999/a/Both.classdata");
            put(out, "inst/a/BaseOnly.classdata");
            put(out, "inst/a/data.txt");
        }
        try (JarFile jar = new JarFile(jarPath.toFile(), false)) {
            AgentClassLoader loader = new AgentClassLoader(jar, jarPath.toUri().toURL(), null);
            assertThat(loader.hiddenPath("a/Both.class"))
                    .isEqualTo("inst/META-INF/versions/11/a/Both.classdata");
            assertThat(loader.hiddenPath("a/BaseOnly.class"))
                    .isEqualTo("inst/a/BaseOnly.classdata");
            assertThat(loader.hiddenPath("/a/data.txt")).isEqualTo("inst/a/data.txt");
            assertThat(loader.hiddenPath("a/Missing.class")).isNull();
        }
    }

    private static void put(JarOutputStream out, String name) throws IOException {
        out.putNextEntry(new JarEntry(name));
        if (!name.endsWith("/")) {
            OutputStream o = out;
            o.write(1);
        }
        out.closeEntry();
    }
}
