package io.mlguard.core.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlguard.core.AgentCounters;
import io.mlguard.protocol.ClientIdSource;
import io.mlguard.protocol.InferenceRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pretoucher writes into the very file the writers append to, ahead of them: every record must
 * still read back whole and in order, whether the writer is behind the touched pages or, writing
 * faster than it touches, ahead of them.
 */
class QueuePretoucherTest {
    @TempDir Path tmp;

    @Test
    void recordsWrittenOverTouchedPagesReadBackWholeAndInOrder() throws Exception {
        AgentCounters counters = new AgentCounters();
        QueueWriter w = QueueWriter.create(tmp.toFile(), counters, 1L << 20);
        InferenceRecord r = record();
        r.timestampMillis = -1;
        w.write(r); // kept until the queue opens
        w.flushAtExit(); // opens it now, with its pretoucher
        assertThat(w.isOpen()).isTrue();
        QueuePretoucher pretoucher = w.pretoucher();
        assertThat(pretoucher).isNotNull();
        int written = 0;
        // bursts far faster than pages are touched, and pauses that let the pretoucher get ahead
        for (int burst = 0; burst < 40; burst++) {
            for (int i = 0; i < 500; i++) {
                r.timestampMillis = written;
                r.clientId = "client-" + written;
                r.inputs[0].mean = written * 0.5;
                assertThat(w.write(r)).isTrue();
                written++;
            }
            Thread.sleep(15);
        }
        long touched = pretoucher.pagesTouched();
        // 20,000 records of some 300 bytes: 6 MB; the pretoucher ran ahead at least once
        assertThat(touched).isGreaterThan(QueuePretoucher.AHEAD / 4096);
        w.close();

        List<InferenceRecord> read = read();
        assertThat(read).hasSize(written + 1);
        assertThat(read.get(0).timestampMillis).isEqualTo(-1);
        for (int i = 0; i < written; i++) {
            InferenceRecord got = read.get(i + 1);
            assertThat(got.timestampMillis).isEqualTo(i);
            assertThat(got.clientId).isEqualTo("client-" + i);
            assertThat(got.inputs[0].mean).isEqualTo(i * 0.5);
            assertThat(got.outputs[0].topClasses[0]).isEqualTo(7);
        }
        assertThat(counters.recordsDropped.sum()).isZero();
    }

    /**
     * Where the disk reads ahead far, every chunk of the mapped file the pretoucher touches is
     * advised, before its touches, to be read at random: the kernel marks such a mapping {@code rr}
     * in {@code /proc/self/smaps}, and then reads one page per fault. A queue of small chunks, so
     * that the megabyte ahead of the writer spans several mappings; the writer's records read back
     * whole. A pretoucher that does not advise leaves the mappings unmarked (the control).
     */
    @Test
    @EnabledOnOs(value = OS.LINUX, architectures = "amd64")
    void whereItAdvisesEveryChunkItTouchesIsMappedForRandomReadsAndRecordsReadBackWhole()
            throws Exception {
        assertThat(QueueNative.load()).as("the JNI shim").isNull();
        DiskGuard disk = new DiskGuard(tmp, 1);
        long block = 1 << 18;
        InferenceRecord r = record();
        List<byte[]> written = new ArrayList<>();
        try (OpenQueue q = new OpenQueue(tmp.toFile(), block)) {
            for (int i = 0; i < 10; i++) {
                r.timestampMillis = i;
                written.add(QueueContents.writeTo(r));
                q.append(r, null);
            }
            QueuePretoucher pretoucher = q.advisingPretoucher(disk);
            assertThat(pretoucher.touchAhead()).isEqualTo(QueuePretoucher.AHEAD / 4096 - 1);
            // the writer near the start: the megabyte after it spans the first five chunks
            assertThat(pretoucher.advisedChunk()).isEqualTo(QueuePretoucher.AHEAD / block);
            List<String> flags = queueMappingFlags(tmp);
            assertThat(flags).hasSizeGreaterThanOrEqualTo(5).allMatch(f -> f.contains(" rr"));
            for (int i = 10; i < 20; i++) {
                r.timestampMillis = i;
                written.add(QueueContents.writeTo(r));
                q.append(r, null);
            }
            pretoucher.release();
        }
        List<byte[]> stored = new ArrayList<>();
        for (Object o : QueueContents.read(tmp)) {
            stored.add(QueueContents.writeTo((InferenceRecord) o));
        }
        assertThat(stored).containsExactlyElementsOf(written);

        Path plain = Files.createDirectories(tmp.resolve("plain"));
        try (OpenQueue q = new OpenQueue(plain.toFile(), block)) {
            q.append(r, null);
            QueuePretoucher notAdvising = q.advisingPretoucher(disk);
            notAdvising.advise(false);
            assertThat(notAdvising.touchAhead()).isPositive();
            assertThat(queueMappingFlags(plain)).isNotEmpty().noneMatch(f -> f.contains(" rr"));
            notAdvising.release();
        }
    }

    /** The {@code VmFlags} line of every mapping of a queue file under {@code dir}. */
    private static List<String> queueMappingFlags(Path dir) throws Exception {
        String prefix = dir.toRealPath().toString() + "/";
        List<String> flags = new ArrayList<>();
        boolean queueFile = false;
        for (String line : Files.readAllLines(Paths.get("/proc/self/smaps"))) {
            if (line.matches("^[0-9a-f]+-[0-9a-f]+ .*")) {
                String path = line.substring(line.indexOf('/') < 0 ? 0 : line.indexOf('/'));
                queueFile = path.startsWith(prefix) && path.endsWith(".cq4");
            } else if (queueFile && line.startsWith("VmFlags:")) {
                flags.add(line + " ");
            }
        }
        return flags;
    }

    @Test
    void pausesLengthenWhileNothingIsWrittenAndShortenAsSoonAsSomethingIs() {
        long ms = 1_000_000;
        long pause = QueuePretoucher.PERIOD_MILLIS;
        List<Long> idle = new ArrayList<>();
        for (int round = 0; round < 8; round++) {
            pause = QueuePretoucher.nextPause(pause, 0, pause * ms);
            idle.add(pause);
        }
        assertThat(idle).containsExactly(10L, 20L, 40L, 80L, 100L, 100L, 100L, 100L);
        long quarter = QueuePretoucher.AHEAD / 4096 / 4;
        // a quarter of the window or more to touch: the writers are fast, no pause at all
        assertThat(QueuePretoucher.nextPause(100, quarter, 100 * ms)).isZero();
        assertThat(QueuePretoucher.nextPause(0, 0, 0)).isEqualTo(QueuePretoucher.PERIOD_MILLIS);
    }

    @Test
    void afterARoundThatTouchedPagesItWaitsAsLongAsTheWritersTakeToFillAQuarterOfTheWindow() {
        long ms = 1_000_000;
        long quarter = QueuePretoucher.AHEAD / 4096 / 4; // 64 pages
        // 16 pages in 10 ms: 64 in 40 ms
        assertThat(QueuePretoucher.nextPause(5, 16, 10 * ms)).isEqualTo(40);
        // one page every 15 ms (a sentence embedding every 5 ms): the longest pause
        assertThat(QueuePretoucher.nextPause(5, 1, 15 * ms)).isEqualTo(QueuePretoucher.IDLE_MILLIS);
        assertThat(QueuePretoucher.nextPause(5, 1, Long.MAX_VALUE))
                .isEqualTo(QueuePretoucher.IDLE_MILLIS);
        // fast, but not a quarter: the shortest period, not less
        assertThat(QueuePretoucher.nextPause(5, quarter - 1, ms))
                .isEqualTo(QueuePretoucher.PERIOD_MILLIS);
        assertThat(QueuePretoucher.nextPause(5, 3, -1)).isEqualTo(QueuePretoucher.PERIOD_MILLIS);
    }

    private static InferenceRecord record() {
        InferenceRecord r = QueueContents.mnistRecord();
        r.clientIdSource = ClientIdSource.HEADER;
        for (int i = 0; i < 64; i++) {
            r.fingerprint[i] = (byte) (i * 3);
        }
        return r;
    }

    private List<InferenceRecord> read() {
        List<InferenceRecord> out = new ArrayList<>();
        for (Object r : QueueContents.read(tmp)) {
            assertThat(r).isInstanceOf(InferenceRecord.class); // nothing else was written
            out.add((InferenceRecord) r);
        }
        return out;
    }
}
