package io.mlguard.core;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Whether the host has a core to spare for the summary thread: read by the summary thread from
 * Linux's {@code /proc} every {@link #PERIOD_NANOS}, so that {@code deferSummaries=auto} hands even
 * small captures (an MNIST digit) to it while a core would otherwise idle, and keeps them on their
 * serving threads while the serving threads keep every core busy. Class loader: agent.
 *
 * <p>Deferring a small capture moves its statistics, fingerprint and queue write (some 3.5 us after
 * an MNIST inference) off the serving thread for the price of a copy, but the copy, the hand-over
 * and the cache misses of a second thread make the total work larger: on a host whose cores are all
 * busy serving, that costs throughput. Hence the two measures, over the last period:
 *
 * <ul>
 *   <li>the cores this process left unused of those it may use: {@link
 *       Runtime#availableProcessors()} (which follows a container's CPU quota) minus the process's
 *       CPU time ({@code /proc/self/stat}) in cores;
 *   <li>the host's idle cores ({@code /proc/stat}: idle and I/O wait), for the neighbours.
 * </ul>
 *
 * The smaller of the two is the spare. Deferral of small captures starts once it is at least {@link
 * #ON_CORES} and stops once it is under {@link #OFF_CORES} (a gap, so that a load near the limit
 * does not flip it every period). The process's time includes the summary thread's own, so a server
 * that fills the spare core with deferred work stops deferring. Both files are read in {@code
 * /proc/stat}'s clock ticks, so no tick rate is assumed. Where they cannot be read (another system)
 * there is never a spare core: small captures stay on their threads, as before.
 */
final class CpuHeadroom {
    /** Spare cores from which small captures are deferred. */
    static final double ON_CORES = 0.5;

    /** Spare cores under which they are no longer deferred. */
    static final double OFF_CORES = 0.25;

    /** How often the files are read: 4 times a second. */
    static final long PERIOD_NANOS = 250_000_000L;

    private final Path processStat;
    private final Path hostStat;
    private final int usableCores;
    private final long periodNanos;

    /** A buffer for the files: /proc/stat of a 256-core host is some 30 KB. */
    private byte[] buf = new byte[8192];

    private long lastSample = Long.MIN_VALUE;
    private long lastProcessTicks = -1;
    private long lastHostTotal = -1;
    private long lastHostIdle = -1;
    private boolean spare;
    private double lastSpareCores = Double.NaN;
    private boolean failed;

    /** Readings kept so far (for tests: a reading is compared with the one before it). */
    private volatile int readings;

    CpuHeadroom() {
        this(
                Paths.get("/proc/self/stat"),
                Paths.get("/proc/stat"),
                Runtime.getRuntime().availableProcessors(),
                PERIOD_NANOS);
    }

    /** Reads these files (tests give their own) as a process that may use {@code usableCores}. */
    CpuHeadroom(Path processStat, Path hostStat, int usableCores, long periodNanos) {
        this.processStat = processStat;
        this.hostStat = hostStat;
        this.usableCores = usableCores;
        this.periodNanos = periodNanos;
    }

    /**
     * Reads the files if a period has passed since the last reading ({@code now} from {@link
     * System#nanoTime}) and returns whether a core is spare. Any failure to read or parse them
     * makes it false from then on.
     */
    boolean update(long now) {
        if (failed || (lastSample != Long.MIN_VALUE && now - lastSample < periodNanos)) {
            return spare;
        }
        lastSample = now;
        try {
            long process = processTicks(read(processStat));
            int n = read(hostStat);
            long[] host = hostTicks(buf, n);
            long total = host[0];
            long idle = host[1];
            int hostCores = (int) host[2];
            if (lastHostTotal >= 0 && total - lastHostTotal < MIN_TICKS_PER_CORE * hostCores) {
                // too short to tell: the process's time and the host's are counted apart, a tick
                // or two out of step; compare with the next reading instead
                return spare;
            }
            if (lastHostTotal >= 0) {
                double window = total - lastHostTotal; // ticks of all the host's cores
                double used = clamp((process - lastProcessTicks) / window * hostCores, hostCores);
                double idleCores = clamp((idle - lastHostIdle) / window * hostCores, hostCores);
                lastSpareCores = Math.min(usableCores - used, idleCores);
                spare = decide(spare, lastSpareCores);
            }
            lastProcessTicks = process;
            lastHostTotal = total;
            lastHostIdle = idle;
            readings++;
        } catch (IOException | RuntimeException e) {
            failed = true;
            spare = false;
            AgentLog.debug(
                    "cannot tell whether a core is spare ("
                            + e
                            + "); small captures are summarised on their threads");
        }
        return spare;
    }

    /**
     * The fewest clock ticks per host core between two compared readings: 10, a tenth of a second
     * at Linux's usual 100 a second (a period is a quarter).
     */
    static final int MIN_TICKS_PER_CORE = 10;

    private static double clamp(double cores, int hostCores) {
        return Math.max(0, Math.min(hostCores, cores));
    }

    /** How many readings have been kept. */
    int readings() {
        return readings;
    }

    /** The spare cores found by the last reading that compared two (NaN before that). */
    double lastSpareCores() {
        return lastSpareCores;
    }

    /** The decision after a reading of {@code spareCores}, the last one being {@code spare}. */
    static boolean decide(boolean spare, double spareCores) {
        return spare ? spareCores >= OFF_CORES : spareCores >= ON_CORES;
    }

    /** Reads {@code file} whole into {@link #buf}, growing it; returns the bytes read. */
    private int read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            int n = 0;
            while (true) {
                if (n == buf.length) {
                    if (buf.length >= 1 << 22) {
                        throw new IOException(file + " is larger than 4 MB");
                    }
                    byte[] bigger = new byte[buf.length * 2];
                    System.arraycopy(buf, 0, bigger, 0, n);
                    buf = bigger;
                }
                int r = in.read(buf, n, buf.length - n);
                if (r < 0) {
                    return n;
                }
                n += r;
            }
        }
    }

    /**
     * The process's user and system time in clock ticks from {@code /proc/self/stat}: fields 14 and
     * 15, counted after the command name's closing parenthesis (the name may hold spaces and
     * parentheses itself).
     */
    long processTicks(int n) {
        int close = -1;
        for (int i = n - 1; i >= 0; i--) {
            if (buf[i] == ')') {
                close = i;
                break;
            }
        }
        if (close < 0) {
            throw new IllegalArgumentException("no command name in " + processStat);
        }
        // after ") ": field 3 (state) is the first; utime is field 14, stime 15
        int field = 2;
        long utime = -1;
        int i = close + 1;
        while (i < n) {
            while (i < n && buf[i] == ' ') {
                i++;
            }
            if (i >= n || buf[i] == '\n') {
                break;
            }
            field++;
            int start = i;
            while (i < n && buf[i] != ' ' && buf[i] != '\n') {
                i++;
            }
            if (field == 14) {
                utime = number(buf, start, i);
            } else if (field == 15) {
                return utime + number(buf, start, i);
            }
        }
        throw new IllegalArgumentException("fewer than 15 fields in " + processStat);
    }

    /**
     * From {@code /proc/stat}'s first line (all cores: user nice system idle iowait irq softirq
     * steal ...), the total and the idle (idle and iowait) ticks, and the number of {@code cpuN}
     * lines.
     */
    static long[] hostTicks(byte[] b, int n) {
        if (n < 4 || b[0] != 'c' || b[1] != 'p' || b[2] != 'u' || b[3] != ' ') {
            throw new IllegalArgumentException("/proc/stat does not start with the cpu line");
        }
        long total = 0;
        long idle = 0;
        int i = 4;
        int column = 0;
        while (i < n && b[i] != '\n') {
            while (i < n && b[i] == ' ') {
                i++;
            }
            int start = i;
            while (i < n && b[i] != ' ' && b[i] != '\n') {
                i++;
            }
            if (i > start) {
                column++;
                long v = number(b, start, i);
                // guest and guest_nice (9 and 10) are already counted in user and nice
                if (column <= 8) {
                    total += v;
                }
                if (column == 4 || column == 5) {
                    idle += v;
                }
            }
        }
        if (column < 4) {
            throw new IllegalArgumentException("/proc/stat's cpu line has " + column + " columns");
        }
        int cores = 0;
        for (int line = i + 1; line + 3 < n; ) {
            if (b[line] == 'c' && b[line + 1] == 'p' && b[line + 2] == 'u') {
                cores++;
            } else {
                break; // the cpuN lines come first, together
            }
            while (line < n && b[line] != '\n') {
                line++;
            }
            line++;
        }
        if (cores == 0) {
            throw new IllegalArgumentException("/proc/stat has no cpuN lines");
        }
        return new long[] {total, idle, cores};
    }

    private static long number(byte[] b, int from, int to) {
        long v = 0;
        if (from >= to) {
            throw new IllegalArgumentException("an empty field");
        }
        for (int i = from; i < to; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9 || v > (Long.MAX_VALUE - d) / 10) {
                throw new IllegalArgumentException(
                        "not a count of clock ticks: " + new String(b, from, to - from));
            }
            v = v * 10 + d;
        }
        return v;
    }
}
