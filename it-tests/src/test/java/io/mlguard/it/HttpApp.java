package io.mlguard.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;

/** One of the HTTP test applications in a forked JVM, with or without the agent. */
final class HttpApp implements AutoCloseable {
    private static final HttpClient HTTP =
            HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();

    final ForkedJvm jvm;
    final int port;

    private HttpApp(ForkedJvm jvm, int port) {
        this.jvm = jvm;
        this.port = port;
    }

    /**
     * @param agentArgs the agent's argument string, or {@code null} to run without the agent
     */
    static HttpApp start(
            Path jdk, String classPath, Class<?> main, Path model, String agentArgs, Path log)
            throws Exception {
        return start(jdk, classPath, main, model, agentArgs, List.of(), log);
    }

    /** As {@link #start(Path, String, Class, Path, String, Path)}, with more JVM flags. */
    static HttpApp start(
            Path jdk,
            String classPath,
            Class<?> main,
            Path model,
            String agentArgs,
            List<String> jvmFlags,
            Path log)
            throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Artifacts.java(jdk));
        if (agentArgs != null) {
            cmd.add("-javaagent:" + Artifacts.agentJar() + "=" + agentArgs);
        }
        cmd.addAll(jvmFlags);
        cmd.add("-cp");
        cmd.add(classPath);
        cmd.add(main.getName());
        cmd.add(model.toString());
        ForkedJvm jvm = ForkedJvm.start(cmd, log);
        try {
            Matcher m = jvm.awaitLine("^listening on (\\d+)$", Duration.ofSeconds(90));
            return new HttpApp(jvm, Integer.parseInt(m.group(1)));
        } catch (Throwable t) {
            jvm.close();
            throw t;
        }
    }

    /** POSTs the digit index to {@code path}, with an {@code X-Client-Id} unless it is null. */
    String post(String path, int index, String clientId) throws Exception {
        HttpResponse<String> r = send(path, index, clientId);
        if (r.statusCode() != 200) {
            throw new AssertionError(
                    "HTTP " + r.statusCode() + " for " + path + "\n" + jvm.describe());
        }
        return r.body();
    }

    /** As {@link #post}, whatever the answer's status. */
    HttpResponse<String> send(String path, int index, String clientId) throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(60))
                        .POST(HttpRequest.BodyPublishers.ofString(Integer.toString(index)));
        if (clientId != null) {
            b.header("X-Client-Id", clientId);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        jvm.close();
    }
}
