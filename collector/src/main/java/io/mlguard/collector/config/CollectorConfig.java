package io.mlguard.collector.config;

import io.mlguard.collector.profile.ModelProfile;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Everything the collector is told at start-up; immutable once parsed. */
public final class CollectorConfig {
    /** The reference window used when {@code --reference-window} is not given. */
    public static final int DEFAULT_REFERENCE_WINDOW = 200;

    /**
     * Records of a model that make its drift/operational profile when none is loaded: enough for
     * stable deciles and tails of every statistic.
     */
    public static final int DEFAULT_PROFILE_WINDOW = 1000;

    /** Mean records of a model between two false alarms of one detector. */
    public static final double DEFAULT_ARL0 = 1_000_000;

    private final Path queueDir;
    private final int httpPort;
    private final AllowList allowList;
    private final int referenceWindow;
    private final Path reportDir;
    private List<ModelProfile> profiles = List.of();
    private int profileWindow = DEFAULT_PROFILE_WINDOW;

    public CollectorConfig(
            Path queueDir, int httpPort, AllowList allowList, int referenceWindow, Path reportDir) {
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
        return copyProfiles(
                new CollectorConfig(queueDir, httpPort, list, referenceWindow, reportDir));
    }

    public CollectorConfig withReferenceWindow(int window) {
        return copyProfiles(new CollectorConfig(queueDir, httpPort, allowList, window, reportDir));
    }

    public CollectorConfig withReportDir(Path dir) {
        return copyProfiles(
                new CollectorConfig(queueDir, httpPort, allowList, referenceWindow, dir));
    }

    /** Profiles loaded from files ({@code --profile}); other models build theirs from traffic. */
    public List<ModelProfile> profiles() {
        return profiles;
    }

    public int profileWindow() {
        return profileWindow;
    }

    public CollectorConfig withProfiles(List<ModelProfile> loaded, int window) {
        if (window < 1) {
            throw new IllegalArgumentException("profile window must be at least 1");
        }
        CollectorConfig c =
                new CollectorConfig(queueDir, httpPort, allowList, referenceWindow, reportDir);
        c.profiles = List.copyOf(loaded);
        c.profileWindow = window;
        return c;
    }

    private CollectorConfig copyProfiles(CollectorConfig c) {
        c.profiles = profiles;
        c.profileWindow = profileWindow;
        return c;
    }
}
