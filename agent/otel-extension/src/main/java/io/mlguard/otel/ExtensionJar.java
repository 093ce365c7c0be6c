package io.mlguard.otel;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;

/**
 * Finds mlguard.jar on disk when it runs as an OpenTelemetry extension. Class loader: the
 * OpenTelemetry agent's extension loader.
 *
 * <p>That loader reads extension jars through its own {@code otel:} URLs (it remaps class names on
 * the fly), so the code source of mlguard's classes does not name the file. The file is one of the
 * locations the user gave the OpenTelemetry agent in {@code otel.javaagent.extensions} (or {@code
 * OTEL_JAVAAGENT_EXTENSIONS}): a comma-separated list of jars and directories of jars; mlguard.jar
 * is the one that holds mlguard's premain.
 */
final class ExtensionJar {
    static final String MARKER = "io/mlguard/bootstrap/AgentPremain.class";

    private ExtensionJar() {}

    /** mlguard.jar among the configured extension locations, or {@code null}. */
    static File find(String property, String environment) {
        String locations = property != null && !property.isBlank() ? property : environment;
        if (locations == null) {
            return null;
        }
        for (String location : locations.split(",")) {
            String path = location.trim();
            if (path.isEmpty()) {
                continue;
            }
            for (File candidate : jarsAt(new File(path))) {
                if (isMlguard(candidate)) {
                    return candidate.getAbsoluteFile();
                }
            }
        }
        return null;
    }

    private static List<File> jarsAt(File location) {
        List<File> jars = new ArrayList<>();
        if (location.isFile()) {
            jars.add(location);
        } else if (location.isDirectory()) {
            File[] files = location.listFiles((dir, name) -> name.endsWith(".jar"));
            if (files != null) {
                java.util.Arrays.sort(files);
                jars.addAll(List.of(files));
            }
        }
        return jars;
    }

    private static boolean isMlguard(File jar) {
        try (JarFile j = new JarFile(jar, false)) {
            return j.getJarEntry(MARKER) != null;
        } catch (IOException | SecurityException e) {
            return false;
        }
    }
}
