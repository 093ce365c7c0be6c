package io.mlguard.core;

import java.lang.instrument.Instrumentation;

/**
 * Tells when the application's start is over, so that work the agent can put off (opening the
 * queue: Chronicle's classes and their compilation) does not compete with it for the CPU. Class
 * loader: agent. The sign is that the application has stopped loading classes for a while; a server
 * that starts for longer than the limit is not waited for any more.
 *
 * <p>A poll that wakes up late does not count as quiet: on a machine too busy to wake this thread
 * on time the application is starved too, and its silence says nothing (measured here under a load
 * of 20 on 2 cores: the queue opened, some 450 ms of CPU plus its compilation, in the middle of
 * ONNX Runtime's native start).
 */
final class StartQuiet {
    private static final long POLL_MILLIS = 250;

    /**
     * Polls in a row without a new class that count as quiet: two seconds (a server loading a model
     * spends a second or more in native code without loading a class).
     */
    private static final int QUIET_POLLS = 8;

    /** A poll that took longer than this (1.5 times its sleep) is late. */
    private static final long LATE_NANOS = POLL_MILLIS * 1_500_000;

    private StartQuiet() {}

    /**
     * Waits until no class has been loaded for {@code QUIET_POLLS} polls in a row, or for {@code
     * maxMillis} at most. False if interrupted (the JVM is going down).
     */
    static boolean await(Instrumentation inst, long maxMillis) {
        long deadline = System.nanoTime() + maxMillis * 1_000_000;
        int last = -1;
        int quiet = 0;
        while (quiet < QUIET_POLLS && System.nanoTime() < deadline) {
            long before = System.nanoTime();
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                return false;
            }
            boolean late = System.nanoTime() - before > LATE_NANOS;
            // one array of the loaded classes (a few thousand references) every poll: cheap next
            // to a single class load, and needs no management beans, which would load classes
            int loaded = inst.getAllLoadedClasses().length;
            quiet = loaded == last && !late ? quiet + 1 : 0;
            last = loaded;
        }
        return true;
    }
}
