package io.mlguard.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link CpuHeadroom} on files written here in the formats of Linux's {@code /proc/self/stat} and
 * {@code /proc/stat}, and on this host's own.
 */
class CpuHeadroomTest {
    @TempDir Path tmp;

    /** A process line whose command name holds spaces and parentheses, as a name may. */
    static String processLine(long utime, long stime) {
        return "4242 (java (a) b) S 1 4242 4242 0 -1 4194560 1000 0 0 0 "
                + utime
                + " "
                + stime
                + " 0 0 20 0 30 0 12345 1000000 5000 18446744073709551615 1 1 0 0 0 0 0 4096 0"
                + " 0 0 0 17 1 0 0 0 0 0\n";
    }

    /**
     * {@code /proc/stat} of a host with {@code cores} cores, its ticks summed on the first line.
     */
    static String hostStat(int cores, long busy, long idle, long iowait) {
        StringBuilder sb = new StringBuilder();
        // user nice system idle iowait irq softirq steal guest guest_nice
        sb.append("cpu  ")
                .append(busy)
                .append(" 0 0 ")
                .append(idle)
                .append(' ')
                .append(iowait)
                .append(" 0 0 0 ")
                .append(busy) // guest time is already in user: not counted twice
                .append(" 0\n");
        for (int c = 0; c < cores; c++) {
            sb.append("cpu").append(c).append(" 1 0 0 1 0 0 0 0 0 0\n");
        }
        sb.append("intr 1 2 3\nctxt 99\nbtime 1700000000\nprocesses 7\n");
        return sb.toString();
    }

    Path processFile;
    Path hostFile;

    void write(Path file, String text) throws IOException {
        Path t = tmp.resolve(file.getFileName() + ".tmp");
        Files.write(t, text.getBytes(StandardCharsets.US_ASCII));
        Files.move(t, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    CpuHeadroom headroom(int usableCores, String process, String host) throws IOException {
        processFile = tmp.resolve("self-stat");
        hostFile = tmp.resolve("stat");
        write(processFile, process);
        write(hostFile, host);
        return new CpuHeadroom(processFile, hostFile, usableCores, 1000);
    }

    /** Writes both files, then has {@code h} read them at {@code now}. */
    boolean readAt(CpuHeadroom h, long now, String process, String host) throws IOException {
        write(processFile, process);
        write(hostFile, host);
        return h.update(now);
    }

    @Test
    void spareCoresAreTheLesserOfWhatTheProcessLeftAndWhatTheHostHasIdle() throws Exception {
        CpuHeadroom h = headroom(2, processLine(100, 50), hostStat(4, 1000, 3000, 0));
        assertThat(h.update(0)).as("one reading compares nothing").isFalse();
        assertThat(h.lastSpareCores()).isNaN();

        // 400 host ticks (100 per core): the process used 60 (0.6 cores) of its 2; the host idled
        // 300 ticks (3 cores): 1.4 spare
        assertThat(readAt(h, 1000, processLine(140, 70), hostStat(4, 1100, 3280, 20))).isTrue();
        assertThat(h.lastSpareCores()).isCloseTo(1.4, within(1e-9));

        // the process now uses 1.8 of its 2 cores (the host still idles): 0.2 spare, under 0.25
        assertThat(
                        readAt(
                                h,
                                2000,
                                processLine(140 + 150, 70 + 30),
                                hostStat(4, 1100 + 200, 3280 + 200, 20)))
                .isFalse();
        assertThat(h.lastSpareCores()).isCloseTo(0.2, within(1e-9));

        // the process idles, but the host's other processes fill 3.6 of its 4 cores: 0.4 spare,
        // not yet 0.5
        assertThat(readAt(h, 3000, processLine(290, 100), hostStat(4, 1300 + 360, 3480 + 40, 20)))
                .isFalse();
        assertThat(h.lastSpareCores()).isCloseTo(0.4, within(1e-9));
    }

    @Test
    void readingsWithinAPeriodAreNotTaken() throws Exception {
        CpuHeadroom h = headroom(2, processLine(0, 0), hostStat(2, 0, 0, 0));
        h.update(0);
        assertThat(readAt(h, 999, processLine(10, 0), hostStat(2, 10, 190, 0)))
                .as("a period is 1000 ns here")
                .isFalse();
        assertThat(h.lastSpareCores()).isNaN();
        assertThat(h.update(1000)).isTrue();
        assertThat(h.lastSpareCores()).isCloseTo(1.9, within(1e-9));
    }

    @Test
    void aWindowOfFewerThanTenTicksPerCoreWaitsForTheNextReading() throws Exception {
        CpuHeadroom h = headroom(2, processLine(0, 0), hostStat(2, 0, 0, 0));
        h.update(0);
        // 19 ticks of 2 cores, 3 of them the process's (counted apart, out of step): not compared
        assertThat(readAt(h, 1000, processLine(3, 0), hostStat(2, 1, 18, 0))).isFalse();
        assertThat(h.lastSpareCores()).isNaN();
        // 20 ticks since the first reading: compared with it
        write(hostFile, hostStat(2, 2, 18, 0));
        assertThat(h.update(2000)).isTrue();
        assertThat(h.lastSpareCores()).isCloseTo(2 - 3 / 20.0 * 2, within(1e-9));
    }

    @Test
    void cpuTimeCountedAheadOfTheHostsTicksIsNoMoreThanAllItsCores() throws Exception {
        CpuHeadroom h = headroom(8, processLine(0, 0), hostStat(2, 0, 0, 0));
        h.update(0);
        write(processFile, processLine(100, 0)); // 100 ticks in a window of 40 on 2 cores
        write(hostFile, hostStat(2, 40, 0, 0));
        h.update(1000);
        assertThat(h.lastSpareCores()).as("8 usable, all 2 of the host's used, none idle").isZero();
    }

    @Test
    void theDecisionHasAGapSoThatALoadNearTheLimitDoesNotFlipIt() {
        assertThat(CpuHeadroom.decide(false, 0.49)).isFalse();
        assertThat(CpuHeadroom.decide(false, 0.5)).isTrue();
        assertThat(CpuHeadroom.decide(true, 0.3)).isTrue();
        assertThat(CpuHeadroom.decide(true, 0.25)).isTrue();
        assertThat(CpuHeadroom.decide(true, 0.24)).isFalse();
        assertThat(CpuHeadroom.decide(true, Double.NaN)).isFalse();
        assertThat(CpuHeadroom.decide(false, Double.NaN)).isFalse();
    }

    @Test
    void aSummaryThreadBusyMostOfAPeriodTakesNoSmallCapturesUntilItHasRoomAgain() {
        assertThat(SummaryThread.keepsUp(true, 0.8)).isTrue();
        assertThat(SummaryThread.keepsUp(true, 0.81)).isFalse();
        assertThat(SummaryThread.keepsUp(false, 0.7)).as("not yet").isFalse();
        assertThat(SummaryThread.keepsUp(false, 0.6)).isTrue();
        assertThat(SummaryThread.keepsUp(false, 0)).isTrue();
        assertThat(SummaryThread.keepsUp(true, 1.5)).as("descheduled while draining").isFalse();
    }

    @Test
    void aHostWithHundredsOfCoresIsReadWhole() throws Exception {
        // some 9 KB more than the first buffer
        CpuHeadroom h = headroom(256, processLine(0, 0), hostStat(512, 0, 0, 0));
        h.update(0);
        assertThat(readAt(h, 1000, processLine(100, 0), hostStat(512, 0, 51_200, 0))).isTrue();
        // 100 ticks of 51,200 on 512 cores: 1 core used of 256; 512 idle
        assertThat(h.lastSpareCores()).isCloseTo(255, within(1e-9));
    }

    @Test
    void filesThatCannotBeReadOrParsedMeanNoSpareCoreForGood() throws Exception {
        String[][] broken = {
            {"4242 java S 1 2 3\n", hostStat(2, 0, 0, 0)}, // no command name
            {"4242 (java) S 1 2 3 4\n", hostStat(2, 0, 0, 0)}, // too few fields
            {"4242 (java) S 1 4242 4242 0 -1 4194560 1000 0 0 0 x 5 0 0\n", hostStat(2, 0, 0, 0)},
            {processLine(0, 0), "intr 1 2 3\n"}, // no cpu line
            {processLine(0, 0), "cpu  1 2 3\ncpu0 1 2 3\n"}, // too few columns
            {processLine(0, 0), "cpu  1 2 3 4 5\nintr 1\n"}, // no cpuN lines
            {processLine(0, 0), "cpu  1 2 -3 4 5\ncpu0 1 2 3 4 5\n"}, // not a count
            {processLine(0, 0), "cpu  99999999999999999999 2 3 4 5\ncpu0 1 2 3 4 5\n"},
            {"", ""},
        };
        for (String[] files : broken) {
            CpuHeadroom h = headroom(2, files[0], files[1]);
            assertThat(h.update(0)).isFalse();
            // good files from now on change nothing: the first failure is the last reading
            assertThat(readAt(h, 1000, processLine(0, 0), hostStat(2, 0, 0, 0))).isFalse();
            write(hostFile, hostStat(2, 0, 200, 0));
            assertThat(h.update(2000)).as(String.join(" / ", files)).isFalse();
            assertThat(h.lastSpareCores()).isNaN();
        }
        CpuHeadroom missing = new CpuHeadroom(tmp.resolve("none"), tmp.resolve("none2"), 2, 1000);
        assertThat(missing.update(0)).isFalse();
        assertThat(missing.update(1000)).isFalse();
    }

    @Test
    void thisHostsOwnFilesAreRead() throws Exception {
        Path self = Paths.get("/proc/self/stat");
        if (!Files.isReadable(self)) {
            // not Linux: there is never a spare core, which the test above covers
            assertThat(new CpuHeadroom().update(0)).isFalse();
            return;
        }
        CpuHeadroom h = new CpuHeadroom(self, Paths.get("/proc/stat"), 2, 0);
        h.update(System.nanoTime());
        long deadline = System.nanoTime() + 5_000_000_000L;
        // burn some CPU so that the host's tick counters move
        double x = 0;
        while (Double.isNaN(h.lastSpareCores()) && System.nanoTime() < deadline) {
            for (int i = 0; i < 1_000_000; i++) {
                x += Math.sqrt(i);
            }
            h.update(System.nanoTime());
        }
        assertThat(x).isPositive();
        int hostCores = Runtime.getRuntime().availableProcessors();
        assertThat(h.lastSpareCores())
                .as("spare cores of a process that may use 2")
                .isBetween(-(double) Math.max(2, hostCores) - 1, 2.0);
    }
}
