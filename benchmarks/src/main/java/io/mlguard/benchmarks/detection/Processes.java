package io.mlguard.benchmarks.detection;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The forked JVMs of one benchmark session (collector, demo server with the agent), each logging to
 * a file; all are destroyed on {@link #close()}, so a failed run leaves none behind.
 */
final class Processes implements AutoCloseable {
    private static final Pattern URL =
            Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+)");

    private final List<Process> started = new ArrayList<>();

    /** Starts {@code command} with its output in {@code log}. */
    Process start(List<String> command, Path log) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.redirectOutput(log.toFile());
        pb.environment().put("OPT_OUT_TRACKING", "true");
        Process p = pb.start();
        started.add(p);
        return p;
    }

    /** Waits for "listening on http://127.0.0.1:PORT" in the log and returns the URL. */
    static String awaitUrl(Process p, Path log) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (Files.exists(log)) {
                Matcher m = URL.matcher(Files.readString(log));
                if (m.find()) {
                    return m.group(1);
                }
            }
            if (!p.isAlive()) {
                throw new IOException("process exited early; its log: " + Files.readString(log));
            }
            Thread.sleep(50);
        }
        throw new IOException("timed out waiting for a URL in " + log);
    }

    /** Runs a command to its end; returns its exit status. */
    int run(List<String> command, Path log) throws IOException, InterruptedException {
        Process p = start(command, log);
        if (!p.waitFor(15, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + command);
        }
        started.remove(p);
        return p.exitValue();
    }

    /** The resident set high-water mark of a running process, in MB, or -1. */
    static double peakRssMb(Process p) {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/" + p.pid() + "/status"))) {
                if (l.startsWith("VmHWM:")) {
                    return Long.parseLong(l.replaceAll("\\D", "")) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    @Override
    public void close() {
        for (Process p : started) {
            p.destroy();
        }
        for (Process p : started) {
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        started.clear();
    }
}
