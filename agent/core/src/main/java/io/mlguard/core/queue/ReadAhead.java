package io.mlguard.core.queue;

import io.mlguard.core.AgentLog;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

/**
 * How far the kernel reads ahead on the disk that holds the queue, and a line in the agent's log
 * when that is far. Class loader: agent.
 *
 * <p>The queue's file is sparse: the first touch of each of its pages, which the pretouch thread
 * makes ahead of the writers, is a page fault that reads around the page, {@code read_ahead_kb} of
 * the disk at a time, all zeroes. With the usual 128 KB that takes a fraction of a millisecond. On
 * a disk set to read ahead megabytes it holds a core for milliseconds in one piece (8 MB: 13-15 ms
 * every 200 ms at 70,000 records a second on this project's 2-core VMs, {@code perf sched}), and a
 * summary thread waiting for that core lets the serving threads' capture rings fill. Nothing in the
 * JDK or Chronicle can advise the kernel otherwise for one mapping: the agent's JNI shim ({@link
 * QueueNative}) does, where it loads, and the agent says once which it is.
 */
final class ReadAhead {
    /** Read-ahead above this many KB is worth a line. */
    static final long SAY_ABOVE_KB = 1024;

    private ReadAhead() {}

    /**
     * Whether the pretouch thread is to advise the kernel that the queue's mapping is read at
     * random: when the disk under {@code dir} reads ahead far and the JNI shim that gives that
     * advice loads ({@link QueueNative}). Says which, once, at info level; says nothing for a disk
     * that reads ahead little, or whose read-ahead cannot be told.
     */
    static boolean adviseIfFar(File dir) {
        try {
            Path file =
                    file(
                            dir.toPath().toRealPath(),
                            Paths.get("/proc/self/mountinfo"),
                            Paths.get("/sys/dev/block"));
            long kb = file == null ? -1 : kilobytes(file);
            if (kb <= SAY_ABOVE_KB) {
                return false;
            }
            String unavailable = QueueNative.load();
            AgentLog.once("read-ahead", message(dir, file, kb, unavailable));
            return unavailable == null;
        } catch (Exception e) {
            AgentLog.debug("could not read the queue disk's read-ahead: " + e);
            return false;
        }
    }

    /**
     * The line for a disk under {@code dir} that reads ahead {@code kb} KB (said in {@code file}):
     * what the agent does about it, given why the JNI shim is not in use ({@code unavailable}, or
     * {@code null}: it is).
     */
    static String message(File dir, Path file, long kb, String unavailable) {
        String reads =
                "the disk under the queue "
                        + dir
                        + " reads ahead "
                        + kb
                        + " KB ("
                        + file
                        + "): the first touch of each page of the queue's file would make the kernel"
                        + " zero that much at once, holding a core for milliseconds";
        if (unavailable == null) {
            return reads
                    + "; the agent advises it to read the queue's mapped pages one at a time"
                    + " (madvise MADV_RANDOM)";
        }
        return reads
                + ", which can hold up the agent's summary thread; 128 KB is usual (echo 128 > "
                + file
                + ", as root), or put the queue on tmpfs. The agent's JNI shim, which would advise the"
                + " kernel to read the queue's pages one at a time, is not in use: "
                + unavailable;
    }

    /** The KB in {@code file}, or -1 if it cannot be read as a number. */
    static long kilobytes(Path file) {
        try {
            return Long.parseLong(
                    new String(Files.readAllBytes(file), StandardCharsets.US_ASCII).trim());
        } catch (Exception e) {
            return -1;
        }
    }

    /**
     * The {@code read_ahead_kb} file of the block device that holds {@code dir} (a real path), from
     * {@code mountinfo} and the {@code /sys/dev/block} tree at {@code sysDevBlock}; {@code null}
     * when the file system has no block device (tmpfs, overlay, network file systems: major 0) or
     * when either cannot be read. A partition has no queue of its own: its disk's is used.
     */
    static Path file(Path dir, Path mountinfo, Path sysDevBlock) {
        String device = device(dir, mountinfo);
        if (device == null || device.startsWith("0:")) {
            return null;
        }
        Path disk = sysDevBlock.resolve(device);
        for (Path queue : List.of(disk.resolve("queue"), disk.resolve("../queue"))) {
            Path f = queue.resolve("read_ahead_kb");
            if (Files.isReadable(f)) {
                return f;
            }
        }
        return null;
    }

    /**
     * The {@code major:minor} of the mount that holds {@code dir}: the one with the longest mount
     * point above it, the last of several at one point (it hides the others); {@code null} if none
     * or {@code mountinfo} cannot be read. Lines that are not as proc(5) describes are skipped.
     */
    static String device(Path dir, Path mountinfo) {
        List<String> lines;
        try {
            lines = Files.readAllLines(mountinfo, StandardCharsets.UTF_8);
        } catch (Exception e) {
            return null;
        }
        String best = null;
        int bestDepth = -1;
        for (String line : lines) {
            String[] f = line.split(" ");
            if (f.length < 5 || f[2].indexOf(':') < 0) {
                continue;
            }
            Path point;
            try {
                point = Paths.get(unescape(f[4]));
            } catch (Exception e) {
                continue;
            }
            if (point.isAbsolute() && dir.startsWith(point) && point.getNameCount() >= bestDepth) {
                best = f[2];
                bestDepth = point.getNameCount();
            }
        }
        return best;
    }

    /** A mountinfo field with its octal escapes ({@code \040} for a space) undone. */
    static String unescape(String field) {
        StringBuilder b = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && isOctal(field, i + 1)) {
                b.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static boolean isOctal(String s, int at) {
        if (at + 3 > s.length()) {
            return false;
        }
        for (int i = at; i < at + 3; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '7') {
                return false;
            }
        }
        return true;
    }
}
