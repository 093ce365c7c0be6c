package io.mlguard.core.queue;

import io.mlguard.core.AgentLog;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps the queue's file system from filling up under the agent. Class loader: agent.
 *
 * <p>Chronicle writes through memory-mapped files; on a full disk a write to a mapped page faults,
 * and the JVM reports that fault asynchronously, as an {@code InternalError} that can surface in
 * any code of the thread, the application's included (seen here: a request of the demo server
 * failed inside ONNX Runtime). So the agent must stop writing while there is still room: below
 * {@code minFree} free bytes capture is paused (records are dropped and counted) and it resumes
 * above 1.25 × {@code minFree}. Writers spend a byte budget of half the headroom seen at the last
 * check, and re-check when it is spent, so a burst cannot outrun the check; a background check
 * every second catches other processes filling the disk and lets capture resume.
 */
final class DiskGuard {
    private final FileStore store;
    private final Path dir;
    private final long minFree;
    private final AtomicLong budget = new AtomicLong();
    private volatile boolean paused;
    private volatile long pauses;

    DiskGuard(Path dir, long minFreeBytes) throws IOException {
        this.dir = dir;
        this.store = Files.getFileStore(dir);
        this.minFree = minFreeBytes;
        check();
    }

    boolean paused() {
        return paused;
    }

    /** How many times capture has been paused. */
    long pauses() {
        return pauses;
    }

    /** Spends {@code bytes} of the budget; re-checks the disk when it runs out. */
    void spend(long bytes) {
        if (budget.addAndGet(-bytes) <= 0) {
            check();
        }
    }

    /** Reads the free space and pauses or resumes capture. */
    synchronized void check() {
        long usable;
        try {
            usable = store.getUsableSpace();
        } catch (IOException e) {
            usable = 0;
        }
        if (usable < minFree) {
            budget.set(0);
            if (!paused) {
                paused = true;
                pauses++; // under the lock of check()
                AgentLog.info(
                        "disk almost full under "
                                + dir
                                + ": "
                                + usable / 1024
                                + " KiB free, less than minFreeDiskMb; capture paused,"
                                + " records are dropped and counted, the server keeps serving");
            }
            return;
        }
        if (paused && usable < minFree + minFree / 4) {
            return;
        }
        budget.set((usable - minFree) / 2);
        if (paused) {
            paused = false;
            AgentLog.info("disk space recovered under " + dir + "; capture resumed");
        }
    }
}
