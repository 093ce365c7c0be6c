package io.mlguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;

/** The demo model server in a forked JVM, with or without the agent. */
final class DemoServer implements AutoCloseable {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    final ForkedJvm jvm;
    final int port;

    private DemoServer(ForkedJvm jvm, int port) {
        this.jvm = jvm;
        this.port = port;
    }

    /**
     * Starts {@code java [-javaagent:mlguard.jar=ARGS] -jar mlguard-demo.jar serve}.
     *
     * @param agentArgs the agent's argument string, or {@code null} to run without the agent
     */
    static DemoServer start(Path jdk, Path models, String agentArgs, Path log) throws Exception {
        List<String> flags = new ArrayList<>();
        if (agentArgs != null) {
            flags.add(
                    "-javaagent:"
                            + Artifacts.agentJar()
                            + (agentArgs.isEmpty() ? "" : "=" + agentArgs));
        }
        return start(jdk, flags, models, log);
    }

    /** Starts {@code java FLAGS -jar mlguard-demo.jar serve}: agents and properties in flags. */
    static DemoServer start(Path jdk, List<String> jvmFlags, Path models, Path log)
            throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Artifacts.java(jdk));
        cmd.add("-Xshare:auto");
        cmd.addAll(jvmFlags);
        cmd.add("-jar");
        cmd.add(Artifacts.demoJar().toString());
        cmd.add("serve");
        cmd.add("--port");
        cmd.add("0");
        cmd.add("--models");
        cmd.add(models.toString());
        ForkedJvm jvm = ForkedJvm.start(cmd, log);
        try {
            Matcher m =
                    jvm.awaitLine(
                            "mlguard-demo listening on http://127\\.0\\.0\\.1:(\\d+)",
                            Duration.ofSeconds(60));
            return new DemoServer(jvm, Integer.parseInt(m.group(1)));
        } catch (Throwable t) {
            jvm.close();
            throw t;
        }
    }

    /**
     * Runs the demo's traffic generator against this server ({@code java -jar mlguard-demo.jar
     * traffic --url ... --models DIR ARGS}) to its end, which must be a success.
     */
    void playTraffic(Path jdk, Path models, Path log, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Artifacts.java(jdk));
        cmd.add("-jar");
        cmd.add(Artifacts.demoJar().toString());
        cmd.add("traffic");
        cmd.add("--url");
        cmd.add("http://127.0.0.1:" + port);
        cmd.add("--models");
        cmd.add(models.toString());
        cmd.addAll(List.of(args));
        try (ForkedJvm traffic = ForkedJvm.start(cmd, log)) {
            assertThat(traffic.awaitExit(Duration.ofMinutes(3))).as(traffic.describe()).isZero();
        }
    }

    HttpResponse<String> post(String path, String body, String clientId) throws Exception {
        return post(
                path,
                body,
                clientId == null ? java.util.Map.of() : java.util.Map.of("X-Client-Id", clientId));
    }

    /** A POST with the given request headers. */
    HttpResponse<String> post(String path, String body, java.util.Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        jvm.close();
    }
}
