package io.mlguard.collector.config;

import io.mlguard.collector.explain.llm.LlmSettings;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/** Everything the collector is told at start-up; immutable once parsed. */
public final class CollectorConfig {
    /** The reference window used when {@code --reference-window} is not given. */
    public static final int DEFAULT_REFERENCE_WINDOW = 200;

    private final Path queueDir;
    private final int httpPort;
    private final AllowList allowList;
    private final int referenceWindow;
    private final Path reportDir;
    private final LlmSettings llm;

    public CollectorConfig(
            Path queueDir, int httpPort, AllowList allowList, int referenceWindow, Path reportDir) {
        this(queueDir, httpPort, allowList, referenceWindow, reportDir, null);
    }

    private CollectorConfig(
            Path queueDir,
            int httpPort,
            AllowList allowList,
            int referenceWindow,
            Path reportDir,
            LlmSettings llm) {
        this.llm = llm;
        this.queueDir = Objects.requireNonNull(queueDir, "queueDir");
        if (httpPort < 0 || httpPort > 65_535) {
            throw new IllegalArgumentException("http port out of range: " + httpPort);
        }
        if (referenceWindow < 1) {
            throw new IllegalArgumentException("reference window must be at least 1");
        }
        this.httpPort = httpPort;
        this.allowList = allowList;
        this.referenceWindow = referenceWindow;
        this.reportDir = reportDir;
    }

    /** A configuration with defaults for everything but the queue and the port. */
    public static CollectorConfig of(Path queueDir, int httpPort) {
        return new CollectorConfig(queueDir, httpPort, null, DEFAULT_REFERENCE_WINDOW, null);
    }

    public Path queueDir() {
        return queueDir;
    }

    public int httpPort() {
        return httpPort;
    }

    public Optional<AllowList> allowList() {
        return Optional.ofNullable(allowList);
    }

    public int referenceWindow() {
        return referenceWindow;
    }

    public Optional<Path> reportDir() {
        return Optional.ofNullable(reportDir);
    }

    public CollectorConfig withAllowList(AllowList list) {
        return new CollectorConfig(queueDir, httpPort, list, referenceWindow, reportDir)
                .withLlm(llm);
    }

    public CollectorConfig withReferenceWindow(int window) {
        return new CollectorConfig(queueDir, httpPort, allowList, window, reportDir).withLlm(llm);
    }

    public CollectorConfig withReportDir(Path dir) {
        return new CollectorConfig(queueDir, httpPort, allowList, referenceWindow, dir)
                .withLlm(llm);
    }

    /** The LLM explainer's settings; without them only the deterministic explainer runs. */
    public Optional<LlmSettings> llm() {
        return Optional.ofNullable(llm);
    }

    public CollectorConfig withLlm(LlmSettings settings) {
        return new CollectorConfig(
                queueDir, httpPort, allowList, referenceWindow, reportDir, settings);
    }
}
