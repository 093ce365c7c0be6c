package io.mlguard.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JVM forked for a test, its output captured in a file. Closing it kills it and its children; a
 * shutdown hook kills whatever a failed test left running, so no JVM outlives the build.
 */
final class ForkedJvm implements AutoCloseable {
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime()
                .addShutdownHook(new Thread(() -> RUNNING.forEach(ForkedJvm::kill), "kill-forks"));
    }

    private final Process process;
    private final Path log;
    private final List<String> command;

    private ForkedJvm(Process process, Path log, List<String> command) {
        this.process = process;
        this.log = log;
        this.command = command;
    }

    static ForkedJvm start(List<String> command, Path log) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.redirectErrorStream(true);
        pb.redirectOutput(log.toFile());
        pb.environment().put("OPT_OUT_TRACKING", "true");
        Process p = pb.start();
        RUNNING.add(p);
        return new ForkedJvm(p, log, List.copyOf(command));
    }

    /** Waits for a line matching {@code regex}; fails with the output so far if it never comes. */
    Matcher awaitLine(String regex, Duration timeout) throws Exception {
        Pattern pattern = Pattern.compile(regex);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (String line : lines()) {
                Matcher m = pattern.matcher(line);
                if (m.find()) {
                    return m;
                }
            }
            if (!process.isAlive()) {
                throw new AssertionError(
                        "process exited with "
                                + process.exitValue()
                                + " before '"
                                + regex
                                + "'\n"
                                + describe());
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no line '" + regex + "' within " + timeout + "\n" + describe());
    }

    /** Waits for the process to end by itself and returns its exit code. */
    int awaitExit(Duration timeout) throws Exception {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("still running after " + timeout + "\n" + describe());
        }
        RUNNING.remove(process);
        return process.exitValue();
    }

    List<String> lines() throws IOException {
        return Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
    }

    String output() throws IOException {
        return String.join("\n", lines());
    }

    String describe() throws IOException {
        return "command: " + String.join(" ", command) + "\noutput:\n" + output();
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        kill(process);
        RUNNING.remove(process);
    }

    private static void kill(Process p) {
        List<ProcessHandle> all = new ArrayList<>();
        p.descendants().forEach(all::add);
        all.add(p.toHandle());
        for (ProcessHandle h : all) {
            h.destroy();
        }
        try {
            p.waitFor(Duration.ofSeconds(10).toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (ProcessHandle h : all) {
            h.destroyForcibly();
        }
    }
}
