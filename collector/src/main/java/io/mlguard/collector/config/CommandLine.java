package io.mlguard.collector.config;

import io.mlguard.collector.explain.llm.LlmSettings;
import io.mlguard.collector.profile.ModelProfile;
import io.mlguard.collector.profile.ProfileFile;
import io.mlguard.collector.profile.ProfileFormatException;
import io.mlguard.collector.respond.ResponsePolicy;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses the collector's command line. Options take their value as the next argument or after
 * {@code =}; anything unknown, missing or out of range is a {@link UsageException}.
 */
public final class CommandLine {
    /** What {@code --help} prints. */
    public static final String USAGE =
            String.join(
                    System.lineSeparator(),
                    "usage: java -jar mlguard-collector.jar --queue DIR --http-port N [options]",
                    "       java -jar mlguard-collector.jar incidents --url URL [--expect TYPE,...]"
                            + " [--wait SECONDS]",
                    "       java -jar mlguard-collector.jar profile build --queue DIR --model NAME"
                            + " --records N --out FILE",
                    "       java -jar mlguard-collector.jar models trust MODEL... [--out FILE]",
                    "       java -jar mlguard-collector.jar control block|throttle|sample|lift"
                            + " --control-queue DIR --client ID [...]",
                    "",
                    "  --queue DIR             the agent's Chronicle Queue directory (waited for if absent)",
                    "  --http-port N           port of the HTTP API on 127.0.0.1 (0 picks a free one)",
                    "  --allow-list FILE       sha256sum-style list of the model hashes allowed to load",
                    "  --reference-window N    OK inferences per model input that define its normal range"
                            + " (default "
                            + CollectorConfig.DEFAULT_REFERENCE_WINDOW
                            + ")",
                    "  --report-dir DIR        keep index.html, incidents.json and incidents.md up to"
                            + " date in DIR",
                    "  --profile FILE          a model's reference profile (from 'profile build');"
                            + " repeat for several models",
                    "  --profile-window N      records of a model that make its profile when none is"
                            + " loaded (default "
                            + CollectorConfig.DEFAULT_PROFILE_WINDOW
                            + ")",
                    "  --llm-config FILE       explain incidents with an LLM too (.properties or .json:"
                            + " provider, baseUrl, model, apiKeyEnv, timeoutSeconds, disclose, ...)",
                    "  --state-dir DIR         the database (incidents, feedback, queue position);"
                            + " default: "
                            + CollectorConfig.DEFAULT_STATE_DIR_NAME
                            + " beside the queue",
                    "  --api-token-file FILE   bearer token for mutating API calls (or env"
                            + " MLGUARD_API_TOKEN); without one they are refused",
                    "  --response-policy FILE  JSON rules: which incidents block or throttle their"
                            + " clients and whom they notify (webhook, Slack, Alertmanager)",
                    "  --control-queue DIR     the control queue agents with enforce=true read"
                            + " (needed by block and throttle rules)",
                    "  --help                  print this help",
                    "",
                    "G1, the JVM's default, keeps incidents fastest; java -XX:+UseParallelGC"
                            + " -jar ... ingests about as much per CPU-second but pauses longer"
                            + " (README).",
                    "",
                    "API: GET /api/incidents[?type=&model=&client=&severity=&since=&limit=&offset=],"
                            + " /api/incidents/{id}, /healthz, /metrics, /report;"
                            + " POST /api/incidents/{id}/feedback (bearer token)");

    /** The environment variable that can hold the API token. */
    public static final String TOKEN_ENV = "MLGUARD_API_TOKEN";

    /** The result of parsing: either help was asked for, or a configuration. */
    public static final class Parsed {
        private final boolean help;
        private final CollectorConfig config;

        private Parsed(boolean help, CollectorConfig config) {
            this.help = help;
            this.config = config;
        }

        public boolean helpRequested() {
            return help;
        }

        public CollectorConfig config() {
            return config;
        }
    }

    private CommandLine() {}

    public static Parsed parse(String... args) throws UsageException {
        return parse(System.getenv(), args);
    }

    /** As {@link #parse(String...)}, with the environment given (for tests). */
    public static Parsed parse(Map<String, String> env, String... args) throws UsageException {
        Path queue = null;
        Integer port = null;
        Path allowListFile = null;
        int window = CollectorConfig.DEFAULT_REFERENCE_WINDOW;
        Path reportDir = null;
        List<Path> profileFiles = new ArrayList<>();
        int profileWindow = CollectorConfig.DEFAULT_PROFILE_WINDOW;
        Path llmConfig = null;
        Path stateDir = null;
        Path tokenFile = null;
        Path policyFile = null;
        Path controlQueue = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                return new Parsed(true, null);
            }
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            switch (name) {
                case "--queue":
                case "--http-port":
                case "--allow-list":
                case "--reference-window":
                case "--report-dir":
                case "--profile":
                case "--profile-window":
                case "--llm-config":
                case "--state-dir":
                case "--api-token-file":
                case "--response-policy":
                case "--control-queue":
                    break;
                default:
                    throw new UsageException(
                            (arg.startsWith("-") ? "unknown option " : "unexpected argument ")
                                    + quote(arg)
                                    + " (see --help)");
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new UsageException(name + " needs a value (see --help)");
                }
                value = args[++i];
            }
            switch (name) {
                case "--queue":
                    queue = path(name, value);
                    break;
                case "--http-port":
                    port = integer(name, value, 0, 65_535);
                    break;
                case "--allow-list":
                    allowListFile = path(name, value);
                    break;
                case "--reference-window":
                    window = integer(name, value, 1, 10_000_000);
                    break;
                case "--profile":
                    profileFiles.add(path(name, value));
                    break;
                case "--profile-window":
                    profileWindow = integer(name, value, 20, 10_000_000);
                    break;
                case "--llm-config":
                    llmConfig = path(name, value);
                    break;
                case "--state-dir":
                    stateDir = path(name, value);
                    break;
                case "--api-token-file":
                    tokenFile = path(name, value);
                    break;
                case "--response-policy":
                    policyFile = path(name, value);
                    break;
                case "--control-queue":
                    controlQueue = path(name, value);
                    break;
                default:
                    reportDir = path(name, value);
                    break;
            }
        }
        if (queue == null) {
            throw new UsageException("--queue DIR is required (see --help)");
        }
        if (port == null) {
            throw new UsageException("--http-port N is required (see --help)");
        }
        AllowList allowList = allowListFile == null ? null : AllowList.load(allowListFile);
        List<ModelProfile> profiles = new ArrayList<>();
        Set<String> models = new HashSet<>();
        for (Path file : profileFiles) {
            ModelProfile p;
            try {
                p = ProfileFile.load(file);
            } catch (ProfileFormatException e) {
                throw new UsageException(e.getMessage(), e);
            }
            if (!models.add(p.model())) {
                throw new UsageException(
                        "two --profile files are for model " + quote(p.model()) + ": keep one");
            }
            profiles.add(p);
        }
        LlmSettings llm = null;
        if (llmConfig != null) {
            try {
                llm = LlmSettings.load(llmConfig);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--llm-config: " + e.getMessage(), e);
            }
        }
        ApiToken token = null;
        if (tokenFile != null) {
            token = ApiToken.fromFile(tokenFile);
        } else if (env.get(TOKEN_ENV) != null && !env.get(TOKEN_ENV).isEmpty()) {
            token = ApiToken.of(env.get(TOKEN_ENV), "environment variable " + TOKEN_ENV);
        }
        ResponsePolicy policy = null;
        if (policyFile != null) {
            try {
                policy = ResponsePolicy.read(policyFile);
            } catch (IOException e) {
                throw new UsageException(
                        "--response-policy: cannot read " + policyFile + ": " + e.getMessage(), e);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--response-policy: " + e.getMessage(), e);
            }
            if (policy.controlsClients() && controlQueue == null) {
                throw new UsageException(
                        "--response-policy blocks or throttles clients: give --control-queue DIR");
            }
        }
        return new Parsed(
                false,
                new CollectorConfig(queue, port, allowList, window, reportDir)
                        .withResponse(policy, controlQueue)
                        .withProfiles(profiles, profileWindow)
                        .withLlm(llm)
                        .withStateDir(stateDir)
                        .withApiToken(token));
    }

    private static Path path(String name, String value) throws UsageException {
        if (value.isBlank()) {
            throw new UsageException(name + " needs a non-empty path");
        }
        try {
            return Paths.get(value);
        } catch (RuntimeException e) {
            throw new UsageException(name + ": invalid path " + quote(value), e);
        }
    }

    private static int integer(String name, String value, int min, int max) throws UsageException {
        int n;
        try {
            n = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new UsageException(name + " needs a whole number, got " + quote(value), e);
        }
        if (n < min || n > max) {
            throw new UsageException(
                    name + " must be between " + min + " and " + max + ", got " + n);
        }
        return n;
    }

    private static String quote(String s) {
        String cut = s.length() > 60 ? s.substring(0, 60) + "..." : s;
        return "'" + cut.replaceAll("\\p{Cntrl}", "?") + "'";
    }
}
