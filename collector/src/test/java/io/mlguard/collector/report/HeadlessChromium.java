package io.mlguard.collector.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code chromium}, headless, offline and with a fresh profile per run: dumps a page's DOM
 * after load or takes a screenshot. Every run is killed (with its helper processes) if it does not
 * finish in time.
 */
final class HeadlessChromium {
    static final Path EXECUTABLE = Path.of("/usr/bin/chromium");
    private static final long TIMEOUT_SECONDS = 120;

    private final Path work;
    private int runs;

    HeadlessChromium(Path work) {
        assertThat(Files.isExecutable(EXECUTABLE))
                .as(
                        "headless Chromium is required for this test and was not found at %s:"
                                + " install Debian's package with 'apt-get install -y chromium'",
                        EXECUTABLE)
                .isTrue();
        this.work = work;
    }

    /** The DOM after the page loaded (and anything it could run had its chance). */
    String dumpDom(Path page) throws Exception {
        return run(page, List.of("--dump-dom"));
    }

    /** A PNG of the page as a window of the given size shows it. */
    void screenshot(Path page, Path png, int width, int height) throws Exception {
        Files.createDirectories(png.getParent());
        Files.deleteIfExists(png);
        run(
                page,
                List.of(
                        "--screenshot=" + png.toAbsolutePath(),
                        "--window-size=" + width + "," + height));
        assertThat(png).as("screenshot written by chromium").exists();
    }

    private String run(Path page, List<String> action) throws Exception {
        int n = ++runs;
        Path profile = Files.createDirectories(work.resolve("chromium-profile-" + n));
        Path stderr = work.resolve("chromium-" + n + ".err");
        List<String> cmd = new ArrayList<>();
        cmd.add(EXECUTABLE.toString());
        cmd.addAll(
                List.of(
                        "--headless",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-quic",
                        "--no-first-run",
                        "--disable-background-networking",
                        "--disable-component-update",
                        "--disable-sync",
                        "--user-data-dir=" + profile.toAbsolutePath(),
                        // Give timers and event handlers time to fire, had anything been injected.
                        "--virtual-time-budget=2000"));
        cmd.addAll(action);
        cmd.add(page.toAbsolutePath().toUri().toString());
        Process p =
                new ProcessBuilder(cmd)
                        .directory(work.toFile())
                        .redirectError(stderr.toFile())
                        .start();
        try {
            byte[] out = p.getInputStream().readAllBytes();
            assertThat(p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS))
                    .as("chromium finished within %d s", TIMEOUT_SECONDS)
                    .isTrue();
            assertThat(p.exitValue()).as("chromium exit code; stderr: %s", tail(stderr)).isZero();
            return new String(out, StandardCharsets.UTF_8);
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    private static String tail(Path f) throws IOException {
        String s = Files.exists(f) ? Files.readString(f) : "";
        return s.length() > 2_000 ? s.substring(s.length() - 2_000) : s;
    }
}
