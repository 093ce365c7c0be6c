package io.mlguard.otel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExtensionJarTest {
    @TempDir Path dir;

    private File jar(String name, String entry) throws Exception {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        try (OutputStream out = Files.newOutputStream(p);
                JarOutputStream jar = new JarOutputStream(out)) {
            jar.putNextEntry(new ZipEntry(entry));
            jar.write(1);
            jar.closeEntry();
        }
        return p.toFile();
    }

    @Test
    void findsMlguardAmongSeveralExtensionJars() throws Exception {
        File other = jar("other.jar", "com/example/Ext.class");
        File mlguard = jar("tools/mlguard.jar", ExtensionJar.MARKER);
        assertThat(ExtensionJar.find(other + " , " + mlguard, null)).isEqualTo(mlguard);
    }

    @Test
    void findsMlguardInAnExtensionDirectory() throws Exception {
        jar("exts/a.jar", "com/example/Ext.class");
        File mlguard = jar("exts/m.jar", ExtensionJar.MARKER);
        assertThat(ExtensionJar.find(null, dir.resolve("exts").toString())).isEqualTo(mlguard);
    }

    @Test
    void theSystemPropertyWinsOverTheEnvironment() throws Exception {
        File inProperty = jar("p/mlguard.jar", ExtensionJar.MARKER);
        File inEnv = jar("e/mlguard.jar", ExtensionJar.MARKER);
        assertThat(ExtensionJar.find(inProperty.toString(), inEnv.toString()))
                .isEqualTo(inProperty);
    }

    @Test
    void nothingWhenMlguardIsNotConfigured() throws Exception {
        File other = jar("other.jar", "com/example/Ext.class");
        assertThat(ExtensionJar.find(other.toString(), null)).isNull();
        assertThat(ExtensionJar.find(null, null)).isNull();
        assertThat(ExtensionJar.find(dir.resolve("missing.jar").toString(), null)).isNull();
    }
}
