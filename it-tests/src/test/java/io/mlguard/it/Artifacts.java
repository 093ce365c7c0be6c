package io.mlguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/** Where the jars under test and the JDKs to run them on are. */
final class Artifacts {
    static final Path ROOT =
            Paths.get(System.getProperty("mlguard.root", "..")).toAbsolutePath().normalize();
    static final Path TEMURIN_25 = Paths.get("/usr/lib/jvm/temurin-25-jdk-amd64");

    private Artifacts() {}

    static Path agentJar() {
        return existing(ROOT.resolve("shaded/target/mlguard.jar"));
    }

    static Path demoJar() {
        return existing(ROOT.resolve("demo-app/target/mlguard-demo.jar"));
    }

    static Path collectorJar() {
        return existing(ROOT.resolve("collector/target/mlguard-collector.jar"));
    }

    /** The OpenTelemetry Java agent, copied into it-tests/target by the build. */
    static Path otelAgentJar() {
        return existing(
                Paths.get(
                        System.getProperty(
                                "mlguard.it.otelAgent",
                                ROOT.resolve("it-tests/target/otel/opentelemetry-javaagent.jar")
                                        .toString())));
    }

    private static Path existing(Path p) {
        assertThat(p).as("built by the reactor before it-tests").isRegularFile();
        return p;
    }

    /**
     * The JDKs every forked-JVM test runs on: {@code -Dmlguard.it.jdks=home1,home2}, or by default
     * the JDK running the build and Temurin 25. A missing JDK fails the test rather than skipping.
     */
    static List<Path> jdks() {
        String prop = System.getProperty("mlguard.it.jdks", "");
        List<Path> homes = new ArrayList<>();
        if (prop.isBlank()) {
            homes.add(Paths.get(System.getProperty("java.home")));
            homes.add(TEMURIN_25);
        } else {
            for (String h : prop.split(",")) {
                homes.add(Paths.get(h.trim()));
            }
        }
        for (Path h : homes) {
            assertThat(h.resolve("bin/java"))
                    .as("JDK for forked tests (set -Dmlguard.it.jdks to change)")
                    .isExecutable();
        }
        return homes;
    }

    static String java(Path jdkHome) {
        return jdkHome.resolve("bin/java").toString();
    }

    static int featureVersion(Path jdkHome) throws Exception {
        Path release = jdkHome.resolve("release");
        if (Files.exists(release)) {
            for (String line : Files.readAllLines(release)) {
                if (line.startsWith("JAVA_VERSION=")) {
                    String v = line.substring("JAVA_VERSION=".length()).replace("\"", "");
                    return Integer.parseInt(v.split("[.+-]")[0]);
                }
            }
        }
        return Runtime.version().feature();
    }
}
