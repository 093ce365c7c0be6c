package io.mlguard.core.config;

import java.io.File;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The agent's settings. Class loader: agent. Each key is looked up in the agent argument string
 * ({@code -javaagent:mlguard.jar=queue=/q,topK=3}), then the system property {@code mlguard.KEY},
 * then the environment variable {@code MLGUARD_KEY}, then the default. A value that does not parse
 * is a clear error naming the key and where it came from.
 */
public final class AgentConfig {
    public final File queueDir;
    public final String clientHeader;
    public final int maxElements;
    public final int topK;
    public final boolean captureFeatures;
    public final int featureLimit;
    public final boolean enabled;
    public final boolean debug;

    /** The {@code agentId} setting, or {@code null} for the default (see {@link #agentId()}). */
    private final String agentIdSetting;

    private volatile String agentId;

    /** Whether the agent obeys block and throttle commands from the collector. */
    public final boolean enforce;

    /** Capture pauses when the queue's file system has less free space than this. */
    public final long minFreeDiskBytes;

    /** The control queue the collector writes commands to. */
    public final File controlQueueDir;

    /**
     * The key that pseudonymises client identities before they are written ({@code clientIdKeyFile}
     * or {@code clientIdKey}), or {@code null} to write them as they are.
     */
    public final byte[] clientIdKey;

    /**
     * Whether inference records are written to the queue by a writer thread of the agent's (the
     * serving thread only copies them into a ring) rather than by the serving thread itself. Off by
     * default: on a 2-core host it saved 0.4-0.9 us of a ~3.5 us capture while a core was spare,
     * and cost more than it saved while the serving threads kept both cores busy.
     */
    public final boolean asyncWrite;

    /**
     * Whether an inference's tensors may be copied and summarised on the agent's summary thread,
     * with the record's write, rather than summarised on the serving thread: {@code auto} (the
     * default) and {@code true} start that thread, {@code false} does not.
     */
    public final boolean deferSummaries;

    /**
     * {@code auto}, {@code true} or {@code false}: read ONNX Runtime's output tensors through the
     * agent's JNI shim, which points one reusable buffer per thread at a tensor's memory, instead
     * of the new {@code ByteBuffer} ONNX Runtime makes per read. {@code auto} uses it on Linux
     * x86-64 unless loading a native library would make the JDK print a warning (JDK 24 and later
     * without {@code --enable-native-access}); {@code true} loads it there too.
     */
    public final String nativeTensorAccess;

    /**
     * {@code auto}, {@code true} or {@code false}: where the disk under the queue reads ahead more
     * than 1 MB, advise the kernel through the agent's JNI shim that the queue's mapped file is
     * read at random ({@code madvise(MADV_RANDOM)}), so that the first touch of each of its pages
     * reads that page, not megabytes of zeroes around it. {@code auto} does so on Linux x86-64
     * unless loading a native library would make the JDK print a warning (JDK 24 and later without
     * {@code --enable-native-access}); {@code true} loads it there too.
     */
    public final String queueAdvice;

    /**
     * With {@link #deferSummaries}: the inferences deferred are those of models whose last capture
     * had at least this many elements, inputs and outputs together, from a thread's fifth capture
     * on (2048 by default with {@code deferSummaries=auto}; 0, every inference, from the first,
     * with {@code deferSummaries=true}). A small capture (a digit, a tabular row) costs about as
     * much to copy as to summarise, and a summary thread that competes with busy serving threads
     * for the cores costs them more than it saves; a large one (an embedding's hidden states) is
     * summarised at a fraction of its cost on the serving thread.
     */
    public final int deferAboveElements;

    /** {@code auto}, {@code true} or {@code false}, as configured. */
    public final String deferMode;

    /**
     * With {@code deferSummaries=auto}: small captures (under {@link #deferAboveElements}) are
     * deferred too while the host has a core to spare, as the summary thread reads it from {@code
     * /proc} four times a second (on by default; Linux only). A serving thread then pays for a copy
     * of its tensors, not for their summaries; once the serving threads keep every core busy, the
     * summaries go back to them, where they cost the least work in all.
     */
    public final boolean deferOnSpareCore;

    /** How many captured inferences each serving thread may have waiting for the summary thread. */
    public final int captureSlots;

    /**
     * The most tensor bytes one captured inference may copy; an inference with more is summarised
     * on its serving thread (its large tensors are sampled there, not copied).
     */
    public final int stageBytes;

    /**
     * One inference in this many (a power of two) per thread has its capture time measured, for the
     * agent's counters; 64 by default (one clock read more each time).
     */
    public final int captureSampleEvery;

    /** How often the agent writes its own counters to the queue; 0 never. */
    public final int statsIntervalSeconds;

    /** The class loaders whose classes are not instrumented ({@code ignoreLoaders}). */
    public final IgnoredLoaders ignoredLoaders;

    private AgentConfig(Source src) {
        queueDir =
                new File(
                        src.get(
                                "queue",
                                System.getProperty("java.io.tmpdir")
                                        + File.separator
                                        + "mlguard"
                                        + File.separator
                                        + "queue"));
        clientHeader = src.get("clientHeader", "X-Client-Id");
        maxElements = src.getInt("maxElements", 65536, 64, 1 << 26);
        topK = src.getInt("topK", 5, 1, io.mlguard.protocol.Records.MAX_TOP_K);
        captureFeatures = src.getBoolean("captureFeatures", false);
        featureLimit = src.getInt("featureLimit", 64, 1, io.mlguard.protocol.Records.MAX_FEATURES);
        enabled = src.getBoolean("enabled", true);
        debug = src.getBoolean("debug", false);
        agentIdSetting = src.get("agentId", null);
        enforce = src.getBoolean("enforce", false);
        minFreeDiskBytes = src.getInt("minFreeDiskMb", 256, 1, 1 << 20) * 1024L * 1024L;
        File parent = queueDir.getAbsoluteFile().getParentFile();
        controlQueueDir =
                new File(
                        src.get(
                                "controlQueue",
                                new File(parent == null ? new File(".") : parent, "control")
                                        .getPath()));
        clientIdKey =
                ClientIdKey.load(src.get("clientIdKeyFile", null), src.get("clientIdKey", null));
        statsIntervalSeconds = src.getInt("statsIntervalSeconds", 10, 0, 86_400);
        asyncWrite = src.getBoolean("asyncWrite", false);
        deferMode = triState("deferSummaries", src.get("deferSummaries", "auto"));
        nativeTensorAccess = triState("nativeTensorAccess", src.get("nativeTensorAccess", "auto"));
        queueAdvice = triState("queueAdvice", src.get("queueAdvice", "auto"));
        deferSummaries = !deferMode.equals("false");
        deferAboveElements =
                deferMode.equals("auto")
                        ? src.getInt("deferAboveElements", 2048, 0, Integer.MAX_VALUE)
                        : deferMode.equals("true") ? 0 : Integer.MAX_VALUE;
        deferOnSpareCore = deferMode.equals("auto") && src.getBoolean("deferOnSpareCore", true);
        captureSlots = Integer.highestOneBit(src.getInt("captureSlots", 1024, 1, 1 << 16));
        stageBytes = src.getInt("stageKb", 4096, 1, 1 << 20) * 1024;
        captureSampleEvery =
                Integer.highestOneBit(src.getInt("captureSampleEvery", 64, 1, 1 << 20));
        ignoredLoaders = IgnoredLoaders.parse(src.get("ignoreLoaders", null));
    }

    /**
     * Reads the configuration from the agent argument string, system properties and environment.
     */
    public static AgentConfig load(String agentArgs) {
        return new AgentConfig(new Source(parseArgs(agentArgs), System.getenv()));
    }

    /** For tests: explicit arguments and environment. */
    public static AgentConfig load(String agentArgs, Map<String, String> env) {
        return new AgentConfig(new Source(parseArgs(agentArgs), env));
    }

    static Map<String, String> parseArgs(String args) {
        Map<String, String> m = new TreeMap<>();
        if (args == null || args.isBlank()) {
            return m;
        }
        for (String part : args.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(
                        "agent argument '" + part.trim() + "' is not key=value");
            }
            m.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
        }
        return m;
    }

    /**
     * Which agent wrote a record: the {@code agentId} setting, else {@code pid@host}. The host name
     * is looked up at the first call, not at start: {@code InetAddress.getLocalHost()} can take a
     * resolver round trip, which the application's start should not wait for.
     */
    public String agentId() {
        String id = agentId;
        if (id == null) {
            id =
                    agentIdSetting != null
                            ? agentIdSetting
                            : ProcessHandle.current().pid() + "@" + hostName();
            agentId = id;
        }
        return id;
    }

    private static String hostName() {
        String h = System.getenv("HOSTNAME");
        if (h != null && !h.isBlank()) {
            return h;
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "localhost";
        }
    }

    @Override
    public String toString() {
        return "queue="
                + queueDir
                + ", clientHeader="
                + clientHeader
                + ", maxElements="
                + maxElements
                + ", topK="
                + topK
                + ", captureFeatures="
                + captureFeatures
                + ", enabled="
                + enabled
                + ", enforce="
                + enforce
                + (enforce ? ", controlQueue=" + controlQueueDir : "")
                + (clientIdKey != null ? ", client ids pseudonymised" : "")
                + ", statsIntervalSeconds="
                + statsIntervalSeconds
                + ", asyncWrite="
                + asyncWrite
                + ", deferSummaries="
                + deferMode
                + (deferMode.equals("auto")
                        ? ", deferAboveElements="
                                + deferAboveElements
                                + ", deferOnSpareCore="
                                + deferOnSpareCore
                        : "")
                + (deferSummaries
                        ? ", captureSlots=" + captureSlots + ", stageKb=" + stageBytes / 1024
                        : "")
                + ", nativeTensorAccess="
                + nativeTensorAccess
                + ", queueAdvice="
                + queueAdvice;
    }

    /** A setting that is {@code auto}, {@code true} or {@code false}. */
    private static String triState(String name, String v) {
        switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "auto":
                return "auto";
            case "true":
            case "yes":
            case "on":
            case "1":
                return "true";
            case "false":
            case "no":
            case "off":
            case "0":
                return "false";
            default:
                throw new IllegalArgumentException(
                        "mlguard setting " + name + "=" + v + " is not auto, true or false");
        }
    }

    /** The keys of every setting the agent reads, in the order it reads them. */
    public static java.util.List<String> settingKeys() {
        Source src = new Source(Map.of(), Map.of());
        new AgentConfig(src);
        return new java.util.ArrayList<>(src.keys);
    }

    private static final class Source {
        private final Map<String, String> args;
        private final Map<String, String> env;

        /** The keys asked for so far. */
        final java.util.Set<String> keys = new java.util.LinkedHashSet<>();

        Source(Map<String, String> args, Map<String, String> env) {
            this.args = args;
            this.env = env;
        }

        String get(String key, String def) {
            keys.add(key);
            String v = args.get(key);
            if (v == null) {
                v = System.getProperty("mlguard." + key);
            }
            if (v == null) {
                v = env.get(envName(key));
            }
            return v == null || v.isEmpty() ? def : v;
        }

        int getInt(String key, int def, int min, int max) {
            String v = get(key, null);
            if (v == null) {
                return def;
            }
            try {
                int n = Integer.parseInt(v.trim());
                if (n < min || n > max) {
                    throw new IllegalArgumentException(
                            "mlguard setting " + key + "=" + v + " is outside " + min + ".." + max);
                }
                return n;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "mlguard setting " + key + "=" + v + " is not a whole number");
            }
        }

        boolean getBoolean(String key, boolean def) {
            String v = get(key, null);
            if (v == null) {
                return def;
            }
            switch (v.trim().toLowerCase(Locale.ROOT)) {
                case "true":
                case "yes":
                case "on":
                case "1":
                    return true;
                case "false":
                case "no":
                case "off":
                case "0":
                    return false;
                default:
                    throw new IllegalArgumentException(
                            "mlguard setting " + key + "=" + v + " is not true or false");
            }
        }

        /** {@code clientHeader} becomes {@code MLGUARD_CLIENT_HEADER}. */
        static String envName(String key) {
            StringBuilder sb = new StringBuilder("MLGUARD_");
            for (char c : key.toCharArray()) {
                if (Character.isUpperCase(c)) {
                    sb.append('_');
                }
                sb.append(Character.toUpperCase(c));
            }
            return sb.toString();
        }
    }
}
