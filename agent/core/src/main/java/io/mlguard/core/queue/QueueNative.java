package io.mlguard.core.queue;

import io.mlguard.core.NativeShim;

/**
 * The agent's JNI shim for the queue's mapped file ({@code src/main/c/mlguard_queue.c}), built into
 * the jar for Linux x86-64. Class loader: agent. Loaded at most once, by the pretouch thread, and
 * only where the disk under the queue reads ahead far ({@link ReadAhead}).
 */
public final class QueueNative {
    static final String LIBRARY = "libmlguard-queue-linux-x86_64.so";

    private static final NativeShim SHIM =
            new NativeShim(QueueNative.class, "queueAdvice", LIBRARY, "mlguard-queue-");

    private QueueNative() {}

    /** The {@code queueAdvice} setting: auto, true or false. */
    public static void configure(String setting) {
        SHIM.configure(setting);
    }

    /**
     * Loads the shim the first time, unless the {@code queueAdvice} setting or this JVM refuses it
     * ({@link NativeShim#refusal}); {@code null} if it can be used, else why not.
     */
    static String load() {
        SHIM.loadOnce();
        return SHIM.unavailableReason();
    }

    /**
     * Advises the kernel that the mapping from {@code address} for {@code length} bytes is read at
     * random ({@code madvise(MADV_RANDOM)}): a page fault in it then reads that page alone, not the
     * disk's read-ahead around it. Returns 0, or the {@code errno} it failed with.
     */
    static native int adviseRandom(long address, long length);
}
