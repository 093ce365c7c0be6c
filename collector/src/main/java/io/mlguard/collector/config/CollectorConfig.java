package io.mlguard.collector.config;

import io.mlguard.collector.explain.llm.LlmSettings;
import io.mlguard.collector.profile.ModelProfile;
import io.mlguard.collector.respond.ResponsePolicy;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the collector is told at start-up; immutable once parsed. Each {@code with} method
 * returns a copy with one setting changed, so no setting is ever lost on the way.
 */
public final class CollectorConfig {
    /** The reference window used when {@code --reference-window} is not given. */
    public static final int DEFAULT_REFERENCE_WINDOW = 200;

    /**
     * Records of a model that make its drift/operational profile when none is loaded: enough for
     * stable deciles and tails of every statistic.
     */
    public static final int DEFAULT_PROFILE_WINDOW = 1000;

    /**
     * The state directory's name, beside the queue directory, when {@code --state-dir} is not
     * given.
     */
    public static final String DEFAULT_STATE_DIR_NAME = "mlguard-state";

    /** Mean records of a model between two false alarms of one detector. */
    public static final double DEFAULT_ARL0 = 1_000_000;

    private final Path queueDir;
    private final int httpPort;
    private AllowList allowList;
    private int referenceWindow;
    private Path reportDir;
    private List<ModelProfile> profiles = List.of();
    private int profileWindow = DEFAULT_PROFILE_WINDOW;
    private LlmSettings llm;
    private Path stateDir;
    private ApiToken apiToken;
    private ResponsePolicy responsePolicy;
    private Path controlQueue;

    public CollectorConfig(
            Path queueDir, int httpPort, AllowList allowList, int referenceWindow, Path reportDir) {
        this.queueDir = Objects.requireNonNull(queueDir, "queueDir");
        if (httpPort < 0 || httpPort > 65_535) {
            throw new IllegalArgumentException("http port out of range: " + httpPort);
        }
        this.httpPort = httpPort;
        this.allowList = allowList;
        this.referenceWindow = checkReferenceWindow(referenceWindow);
        this.reportDir = reportDir;
    }

    private CollectorConfig(CollectorConfig other) {
        this.queueDir = other.queueDir;
        this.httpPort = other.httpPort;
        this.allowList = other.allowList;
        this.referenceWindow = other.referenceWindow;
        this.reportDir = other.reportDir;
        this.profiles = other.profiles;
        this.profileWindow = other.profileWindow;
        this.llm = other.llm;
        this.stateDir = other.stateDir;
        this.apiToken = other.apiToken;
        this.responsePolicy = other.responsePolicy;
        this.controlQueue = other.controlQueue;
    }

    private static int checkReferenceWindow(int window) {
        if (window < 1) {
            throw new IllegalArgumentException("reference window must be at least 1");
        }
        return window;
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

    /** Profiles loaded from files ({@code --profile}); other models build theirs from traffic. */
    public List<ModelProfile> profiles() {
        return profiles;
    }

    public int profileWindow() {
        return profileWindow;
    }

    /** The LLM explainer's settings; without them only the deterministic explainer runs. */
    public Optional<LlmSettings> llm() {
        return Optional.ofNullable(llm);
    }

    /** Where the database lives: {@code --state-dir}, or {@code mlguard-state} beside the queue. */
    public Path stateDir() {
        if (stateDir != null) {
            return stateDir;
        }
        Path parent = queueDir.toAbsolutePath().getParent();
        return parent == null
                ? queueDir.toAbsolutePath().resolve(DEFAULT_STATE_DIR_NAME)
                : parent.resolve(DEFAULT_STATE_DIR_NAME);
    }

    /** The token mutating API calls need; absent means they are refused. */
    public Optional<ApiToken> apiToken() {
        return Optional.ofNullable(apiToken);
    }

    public CollectorConfig withStateDir(Path dir) {
        CollectorConfig c = new CollectorConfig(this);
        c.stateDir = dir;
        return c;
    }

    public CollectorConfig withApiToken(ApiToken token) {
        CollectorConfig c = new CollectorConfig(this);
        c.apiToken = token;
        return c;
    }

    public CollectorConfig withAllowList(AllowList list) {
        CollectorConfig c = new CollectorConfig(this);
        c.allowList = list;
        return c;
    }

    public CollectorConfig withReferenceWindow(int window) {
        CollectorConfig c = new CollectorConfig(this);
        c.referenceWindow = checkReferenceWindow(window);
        return c;
    }

    public CollectorConfig withReportDir(Path dir) {
        CollectorConfig c = new CollectorConfig(this);
        c.reportDir = dir;
        return c;
    }

    public CollectorConfig withProfiles(List<ModelProfile> loaded, int window) {
        if (window < 1) {
            throw new IllegalArgumentException("profile window must be at least 1");
        }
        CollectorConfig c = new CollectorConfig(this);
        c.profiles = List.copyOf(loaded);
        c.profileWindow = window;
        return c;
    }

    public CollectorConfig withLlm(LlmSettings settings) {
        CollectorConfig c = new CollectorConfig(this);
        c.llm = settings;
        return c;
    }

    /** What to do about incidents beyond recording them; absent means nothing. */
    public Optional<ResponsePolicy> responsePolicy() {
        return Optional.ofNullable(responsePolicy);
    }

    /** The control queue that block and throttle commands are written to, if any. */
    public Optional<Path> controlQueue() {
        return Optional.ofNullable(controlQueue);
    }

    /**
     * The response policy and the control queue it writes to ({@code null} when the policy only
     * notifies).
     */
    public CollectorConfig withResponse(ResponsePolicy policy, Path controlDir) {
        if (policy != null && policy.controlsClients() && controlDir == null) {
            throw new IllegalArgumentException(
                    "the response policy blocks or throttles clients: give --control-queue DIR");
        }
        CollectorConfig c = new CollectorConfig(this);
        c.responsePolicy = policy;
        c.controlQueue = controlDir;
        return c;
    }
}
