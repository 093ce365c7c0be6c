package io.mlguard.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * An inference with and without the agent in one JVM, taking turns every iteration: the fork runs
 * with {@code -javaagent:mlguard.jar} and {@code ignoreLoaders} naming {@link BareLoader}, which
 * loads a second copy of the runtime's classes (and of the subclass's {@link #runner}) that the
 * agent leaves uninstrumented. Even iterations (counting warm-up) run the instrumented copy, odd
 * ones the bare copy, so both see the same JIT, heap, native libraries and machine state within a
 * second of each other. This machine's inference time moves by up to 2x between forks and within
 * one, which hides a microsecond between the forks of {@link OrtInferenceWithAgent} and {@link
 * OrtInferenceBaseline}; here it cancels in each pair of neighbouring iterations.
 *
 * <p>JMH's own score for these benchmarks mixes the two copies; {@link AgentOverhead} runs them and
 * reports each copy's median and the added time per inference.
 *
 * <p>With {@code -Dmlguard.bench.offCpuFile=PATH}, each iteration also appends to that file the
 * time the benchmark thread spent off its CPU (wall time less the thread's CPU time: blocked on a
 * lock, parked, or waiting for a core), which a sampling profiler does not see, and how many
 * inferences it ran: {@link AgentOverhead} reports it per copy.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(
        value = 3,
        jvmArgsAppend = {
            "-Xms1g",
            "-Xmx1g",
            BenchAgent.JAVAAGENT + ",ignoreLoaders=io.mlguard.benchmarks.BareLoader"
        })
public abstract class WithAndWithoutAgent {
    private LongSupplier hooked;
    private LongSupplier bare;
    private LongSupplier current;
    private int iteration;

    /** {@code -Dmlguard.bench.only}: every iteration runs this copy, or {@code null} for turns. */
    private Boolean only;

    /** A {@link HooksOnAndOff}'s switch, {@code null} for two copies. */
    private AgentHooks agentHooks;

    /**
     * {@code -Dmlguard.bench.offCpuFile}, or {@code null}: where each iteration's time off CPU
     * goes.
     */
    private Path offCpuFile;

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private boolean currentInstrumented;
    private int currentIteration;
    private long inferences;
    private long wallStart;
    private long cpuStart;

    /**
     * The class that runs one inference per {@link LongSupplier#getAsLong} (public, with a public
     * no-argument constructor; {@link AutoCloseable} if it holds resources), made once in each
     * class loader.
     */
    abstract Class<? extends LongSupplier> runner();

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        String copyOnly = System.getProperty("mlguard.bench.only", "");
        if (!copyOnly.isEmpty() && !copyOnly.equals("instrumented") && !copyOnly.equals("bare")) {
            throw new IllegalArgumentException(
                    "-Dmlguard.bench.only=" + copyOnly + " is not instrumented or bare");
        }
        only = copyOnly.isEmpty() ? null : copyOnly.equals("instrumented");
        offCpuFile = offCpuFile();
        if (offCpuFile != null && !threads.isCurrentThreadCpuTimeSupported()) {
            throw new IllegalStateException("this JVM cannot tell a thread's CPU time");
        }
        Class<? extends LongSupplier> type = runner();
        hooked = type.getConstructor().newInstance();
        bare = bareSide(type);
        long a = hooked.getAsLong();
        long b = bare.getAsLong();
        if (a != b) {
            throw new IllegalStateException("the copies disagree: " + a + " against " + b);
        }
    }

    /**
     * What the odd turns run: a second copy of {@code type} and of the runtime's classes, loaded by
     * {@link BareLoader}, which the agent leaves alone; for a {@link HooksOnAndOff}, the
     * instrumented copy, its hooks switched off.
     */
    private LongSupplier bareSide(Class<? extends LongSupplier> type) throws Exception {
        if (this instanceof HooksOnAndOff) {
            agentHooks = AgentHooks.installed();
            return hooked;
        }
        BareLoader loader = new BareLoader();
        Class<?> copy = Class.forName(type.getName(), true, loader);
        if (copy == type
                || loader.loadClass("ai.onnxruntime.OrtSession")
                        == ai.onnxruntime.OrtSession.class) {
            throw new IllegalStateException("the bare copy shares the runtime's classes");
        }
        return (LongSupplier) copy.getConstructor().newInstance();
    }

    /**
     * Even iterations (warm-up included) run the instrumented copy, odd ones the bare copy; with
     * {@code -Dmlguard.bench.only=instrumented} or {@code bare} (for a profiler), every iteration
     * runs that one.
     */
    @Setup(Level.Iteration)
    public void takeTurns() throws Exception {
        currentIteration = iteration++;
        boolean instrumented = only == null ? instrumented(currentIteration) : only;
        if (agentHooks != null) {
            agentHooks.switchOn(instrumented || !AgentHooks.SWITCH);
        }
        current = instrumented ? hooked : bare;
        currentInstrumented = instrumented;
        inferences = 0;
        wallStart = System.nanoTime();
        cpuStart = threads.getCurrentThreadCpuTime();
    }

    /**
     * Appends this iteration's line to the off-CPU file: the process, the iteration (0-based,
     * warm-up included), whether the instrumented copy ran, the inferences and the nanoseconds off
     * CPU.
     */
    @TearDown(Level.Iteration)
    public void offCpu() throws IOException {
        long cpu = threads.getCurrentThreadCpuTime() - cpuStart;
        long wall = System.nanoTime() - wallStart;
        if (offCpuFile == null) {
            return;
        }
        String line =
                String.format(
                        Locale.ROOT,
                        "%d\t%d\t%b\t%d\t%d%n",
                        ProcessHandle.current().pid(),
                        currentIteration,
                        currentInstrumented,
                        inferences,
                        Math.max(0, wall - cpu));
        Files.write(
                offCpuFile,
                line.getBytes(StandardCharsets.UTF_8),
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    /**
     * {@code -Dmlguard.bench.offCpuFile}, or {@code null}: read by the forks and by AgentOverhead.
     */
    static Path offCpuFile() {
        String path = System.getProperty("mlguard.bench.offCpuFile", "");
        return path.isEmpty() ? null : Paths.get(path);
    }

    /** Whether the {@code i}-th iteration (0-based, warm-up included) ran the instrumented copy. */
    static boolean instrumented(int i) {
        return i % 2 == 0;
    }

    @Benchmark
    public long infer() {
        inferences++;
        return current.getAsLong();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        for (Object copy : hooked == bare ? new Object[] {hooked} : new Object[] {hooked, bare}) {
            if (copy instanceof AutoCloseable c) {
                c.close();
            }
        }
    }
}
