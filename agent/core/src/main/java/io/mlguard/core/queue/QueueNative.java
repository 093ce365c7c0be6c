package io.mlguard.core.queue;

import io.mlguard.core.NativeShim;

/**
 * The agent's JNI shim for the queue's mapped file ({@code src/main/c/mlguard_queue.c}), built into
 * the jar for Linux x86-64. Class loader: agent. Loaded at most once, by the pretouch thread, and
 * only where the disk under the queue reads ahead far ({@link ReadAhead}).
 */
public final class QueueNative {
    static final String LIBRARY = "libmlguard-queue-linux-x86_64.so";

    /** The {@code queueAdvice} setting: auto, true or false. */
    private static String mode = "auto";

    /** Whether loading was tried, and why the shim is not in use ({@code null}: it is). */
    private static boolean tried;

    private static String unavailable = "not loaded yet";

    private QueueNative() {}

    /** The {@code queueAdvice} setting: auto, true or false. */
    public static synchronized void configure(String setting) {
        mode = setting;
    }

    /**
     * Loads the shim the first time, unless the {@code queueAdvice} setting or this JVM refuses it
     * ({@link NativeShim#refusal}); {@code null} if it can be used, else why not.
     */
    static synchronized String load() {
        if (!tried) {
            tried = true;
            String refusal = NativeShim.refusal("queueAdvice", mode, QueueNative.class);
            unavailable =
                    refusal != null
                            ? refusal
                            : NativeShim.load(QueueNative.class, LIBRARY, "mlguard-queue-");
        }
        return unavailable;
    }

    /**
     * Advises the kernel that the mapping from {@code address} for {@code length} bytes is read at
     * random ({@code madvise(MADV_RANDOM)}): a page fault in it then reads that page alone, not the
     * disk's read-ahead around it. Returns 0, or the {@code errno} it failed with.
     */
    static native int adviseRandom(long address, long length);
}
