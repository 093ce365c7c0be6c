package io.mlguard.core;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One-line diagnostics on standard error, prefixed {@code [mlguard]}. Class loader: agent. The
 * agent has no logging framework of its own to configure, and a host's logging must not see it.
 */
public final class AgentLog {
    private static final Set<String> ONCE = ConcurrentHashMap.newKeySet();
    private static volatile boolean debug;

    private AgentLog() {}

    public static void setDebug(boolean on) {
        debug = on;
    }

    public static boolean debugEnabled() {
        return debug;
    }

    public static void info(String message) {
        System.err.println("[mlguard] " + message);
    }

    public static void debug(String message) {
        if (debug) {
            System.err.println("[mlguard] debug: " + message);
        }
    }

    /** The CPU time of the calling thread so far, for debug lines ({@code ""} if not measured). */
    public static String threadCpu() {
        if (!debug) {
            return "";
        }
        java.lang.management.ThreadMXBean t =
                java.lang.management.ManagementFactory.getThreadMXBean();
        return t.isCurrentThreadCpuTimeSupported()
                ? " (thread cpu " + t.getCurrentThreadCpuTime() / 1_000_000 + " ms)"
                : "";
    }

    /** Prints a message the first time a key is seen; later ones are counted, not printed. */
    public static void once(String key, String message) {
        if (ONCE.add(key)) {
            info(message);
        }
    }
}
