package io.mlguard.collector.restart;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlguard.collector.api.IncidentJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code java -jar mlguard-collector.jar} forked for a test, its output in a file. {@link #kill()}
 * is SIGKILL ({@code destroyForcibly} on Linux); {@link #close()} kills too, so no collector
 * outlives a failed test.
 */
final class ForkedCollector implements AutoCloseable {
    private static final Pattern LISTENING =
            Pattern.compile("listening on http://127.0.0.1:(\\d+)");

    private final Process process;
    private final Path log;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private int port = -1;

    private ForkedCollector(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static Path jar() {
        String jar = System.getProperty("mlguard.collector.jar");
        if (jar == null) {
            throw new AssertionError("system property mlguard.collector.jar is not set (failsafe)");
        }
        Path p = Paths.get(jar);
        if (!Files.isRegularFile(p)) {
            throw new AssertionError("collector jar missing: " + p + " (mvn package builds it)");
        }
        return p;
    }

    static ForkedCollector start(Path log, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx512m");
        cmd.add("-jar");
        cmd.add(jar().toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        return new ForkedCollector(pb.start(), log);
    }

    /** Waits for the "listening" line of this process (the log may hold earlier runs). */
    ForkedCollector awaitListening(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            List<String> lines = Files.readAllLines(log);
            for (int i = lines.size() - 1; i >= 0; i--) {
                Matcher m = LISTENING.matcher(lines.get(i));
                if (m.find()) {
                    int p = Integer.parseInt(m.group(1));
                    if (p != port && healthy(p)) {
                        port = p;
                        return this;
                    }
                    break;
                }
            }
            if (!process.isAlive()) {
                throw new AssertionError("collector exited: " + Files.readString(log));
            }
            Thread.sleep(20);
        }
        throw new AssertionError("collector not listening after " + timeout + ":\n" + tail());
    }

    private boolean healthy(int p) {
        try {
            return get(p, "/healthz").statusCode() == 200;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private HttpResponse<String> get(int p, String path) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p + path))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    JsonNode json(String path) throws Exception {
        HttpResponse<String> r = get(port, path);
        if (r.statusCode() != 200) {
            throw new AssertionError(path + " answered " + r.statusCode() + ": " + r.body());
        }
        return IncidentJson.MAPPER.readTree(r.body());
    }

    long recordsRead() throws Exception {
        return json("/healthz").get("recordsRead").asLong();
    }

    /** SIGKILL, and wait until the process is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("collector survived SIGKILL");
        }
    }

    String tail() throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
