package io.mlguard.collector.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on a state directory, held while a collector uses it: two collectors writing
 * one checkpoint would each skip records the other handled. The OS releases it if the process dies,
 * so a killed collector never leaves a stale lock behind.
 */
final class DirectoryLock implements AutoCloseable {
    static final String FILE = "collector.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static DirectoryLock acquire(Path dir) throws IOException {
        FileChannel ch =
                FileChannel.open(
                        dir.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null; // held by this JVM
        }
        if (l == null) {
            ch.close();
            throw new IOException(
                    "cannot open the state database in " + dir + ": another collector is using it");
        }
        return new DirectoryLock(ch, l);
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // closing the channel releases the lock anyway
        }
    }
}
