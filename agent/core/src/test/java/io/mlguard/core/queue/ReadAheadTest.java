package io.mlguard.core.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The queue disk's read-ahead, found from a mountinfo and a {@code /sys/dev/block} tree laid out as
 * Linux lays them out: a whole disk, a partition (whose queue is its disk's), tmpfs, a mount point
 * with a space, and mounts stacked at one point.
 */
class ReadAheadTest {
    @TempDir Path tmp;
    Path mountinfo;
    Path sys;

    @BeforeEach
    void setUp() throws Exception {
        mountinfo = tmp.resolve("mountinfo");
        Files.write(
                mountinfo,
                String.join(
                                "\n",
                                "26 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw",
                                "30 26 8:1 / /data rw,relatime shared:2 - ext4 /dev/sda1 rw",
                                "31 30 0:50 / /data/tmp rw - tmpfs tmpfs rw",
                                "32 26 254:0 /x /mnt/my\\040disk rw - ext4 /dev/vda rw",
                                "33 26 8:1 / /stacked rw - ext4 /dev/sda1 rw",
                                "34 26 254:0 / /stacked rw - ext4 /dev/vda rw",
                                "not a mountinfo line",
                                "")
                        .getBytes(StandardCharsets.UTF_8));
        // /sys/dev/block/M:m are links into the device tree; a partition sits inside its disk
        Path devices = Files.createDirectories(tmp.resolve("devices"));
        Path vda = Files.createDirectories(devices.resolve("vda/queue"));
        Files.write(vda.resolve("read_ahead_kb"), "8192\n".getBytes(StandardCharsets.US_ASCII));
        Path sda = Files.createDirectories(devices.resolve("sda/queue"));
        Files.write(sda.resolve("read_ahead_kb"), "128\n".getBytes(StandardCharsets.US_ASCII));
        Files.createDirectories(devices.resolve("sda/sda1"));
        sys = Files.createDirectories(tmp.resolve("sys/dev/block"));
        Files.createSymbolicLink(sys.resolve("254:0"), devices.resolve("vda"));
        Files.createSymbolicLink(sys.resolve("8:1"), devices.resolve("sda/sda1"));
    }

    long kb(String dir) {
        Path f = ReadAhead.file(Paths.get(dir), mountinfo, sys);
        return f == null ? -1 : ReadAhead.kilobytes(f);
    }

    @Test
    void theDiskUnderTheQueueIsTheOneOfTheDeepestMountAboveIt() {
        assertThat(kb("/var/lib/mlguard/queue")).as("the root file system's disk").isEqualTo(8192);
        assertThat(kb("/data/queue")).as("a partition: its disk's queue").isEqualTo(128);
        assertThat(kb("/data2/queue"))
                .as("not under /data: a path prefix, not a string's")
                .isEqualTo(8192);
        assertThat(kb("/data/tmp/queue")).as("tmpfs has no disk").isEqualTo(-1);
        assertThat(kb("/mnt/my disk/queue")).as("an escaped space").isEqualTo(8192);
        assertThat(kb("/stacked/queue"))
                .as("the last mount at a point hides the others")
                .isEqualTo(8192);
    }

    @Test
    void whatCannotBeReadGivesNoFigure() throws Exception {
        assertThat(ReadAhead.file(Paths.get("/data/q"), tmp.resolve("absent"), sys)).isNull();
        assertThat(ReadAhead.file(Paths.get("/data/q"), mountinfo, tmp.resolve("no-sys"))).isNull();
        Path garbage = tmp.resolve("garbage");
        Files.write(garbage, "12 seven\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(ReadAhead.kilobytes(garbage)).isEqualTo(-1);
        assertThat(ReadAhead.unescape("a\\040b\\134c\\9")).isEqualTo("a b\\c\\9");
    }

    @Test
    void theLineSaysHowMuchWhereAndWhatToDo() {
        Path file = Paths.get("/sys/dev/block/254:0/queue/read_ahead_kb");
        File queue = new File("/var/lib/mlguard/queue");
        String unadvised = ReadAhead.message(queue, file, 8192, "queueAdvice=false");
        assertThat(unadvised)
                .contains(queue.toString(), "8192 KB", "echo 128 > " + file, "tmpfs")
                .endsWith("not in use: queueAdvice=false");
        String advised = ReadAhead.message(queue, file, 8192, null);
        assertThat(advised)
                .contains(queue.toString(), "8192 KB", "madvise MADV_RANDOM")
                .doesNotContain("echo 128");
        assertThat(ReadAhead.SAY_ABOVE_KB).isLessThan(8192).isGreaterThanOrEqualTo(128);
    }
}
