package io.mlguard.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the {@link WithAndWithoutAgent} benchmarks ({@link MnistWithAndWithoutAgent}: the MNIST MLP
 * on ONNX Runtime) and reports what the agent adds to each inference: the median time of the
 * instrumented and of the bare copy, and the median over neighbouring iterations of their
 * difference, in microseconds and relative to the bare copy, overall and per fork. Given {@link
 * MiniLmCaptureTurns} instead (run-jmh.sh's {@code BENCH=overhead-minilm}), the same for its turns
 * of capturing and not capturing. Every pair of neighbouring iterations (one of each copy, in
 * either order) gives one difference, so a drift of the machine and the order of the two within a
 * pair cancel out.
 *
 * <p>With {@code -Dmlguard.bench.offCpuFile=PATH} (run-jmh.sh sets it), it also reports how long
 * the serving thread spent off its CPU per inference with each copy: time a sampling profiler does
 * not see, such as waiting for a lock an agent thread holds.
 *
 * <p>With {@code -Dmlguard.bench.ledger=PATH} (run-jmh.sh sets {@code target/overhead-forks.tsv}),
 * each fork's medians are added to that file, and the forks of every run in it so far are pooled
 * ({@link OverheadLedger}): the median of the forks' medians with a 95 % interval, per benchmark,
 * kind of run and agent build. {@code -Dmlguard.bench.commit} and {@code -Dmlguard.bench.agentJar}
 * name the source and the jar's digest in it.
 *
 * <p>Usage: {@code AgentOverhead [JMH options] [benchmark regexp]} (run-jmh.sh runs it with {@code
 * BENCH=overhead}).
 */
public final class AgentOverhead {
    private AgentOverhead() {}

    public static void main(String[] args) throws Exception {
        CommandLineOptions given = new CommandLineOptions(args);
        OptionsBuilder options = new OptionsBuilder();
        options.parent(given);
        if (given.getIncludes().isEmpty()) {
            options.include(WithAndWithoutAgent.class.getPackageName() + ".*WithAndWithoutAgent");
        }
        Path offCpuFile = WithAndWithoutAgent.offCpuFile();
        if (offCpuFile != null) {
            Files.deleteIfExists(offCpuFile); // the forks append to it
        }
        String runId = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        Collection<RunResult> results = new Runner(options.build()).run();
        if (results.isEmpty()) {
            System.err.println("no benchmark ran: nothing to compare");
            System.exit(1);
        }
        List<OverheadLedger.Fork> forks = new ArrayList<>();
        for (RunResult run : results) {
            String name = run.getParams().getBenchmark();
            String label =
                    name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1)
                            .replace("WithAndWithoutAgent.infer", "");
            Class<?> type = Class.forName(name.substring(0, name.lastIndexOf('.')));
            boolean turnsPerIteration = WithAndWithoutAgent.class.isAssignableFrom(type);
            Turn turn =
                    HooksOnAndOff.class.isAssignableFrom(type)
                            ? HOOKS_ON_OR_OFF
                            : turnsPerIteration ? WITH_AND_WITHOUT : CAPTURING_OR_NOT;
            forks.addAll(report(label, run, turn, runId));
            if (offCpuFile != null && turnsPerIteration) {
                reportOffCpu(label, run, turn, offCpuFile);
            }
        }
        String ledger = System.getProperty("mlguard.bench.ledger", "");
        if (!ledger.isEmpty()) {
            Path file = Paths.get(ledger);
            OverheadLedger.append(file, forks);
            System.out.println(
                    "every fork's result is added to "
                            + file
                            + "; pooled with the runs before (delete it to start over):");
            OverheadLedger.printPooled(OverheadLedger.read(file, System.err), System.out);
        }
    }

    /**
     * What a run compares, for the ledger: the agent's turns, or a control, which compares like
     * with like ({@code MLGUARD_ENABLED=false} for {@link WithAndWithoutAgent}, both turns
     * capturing for {@link MiniLmCaptureTurns}, both with the hooks on for {@link HooksOnAndOff});
     * then any agent setting given to the forks ({@code MLGUARD_<KEY>} in the environment, {@code
     * -Dmlguard.*} options other than run-jmh.sh's own) and the forks' {@code -XX:} options, so
     * that runs of one build with different settings do not pool. run-jmh.sh's {@code
     * -Dmlguard.bench.readAheadKb} is among them: how far the disk under the forks' queue reads
     * ahead changes what the agent costs (the first touch of each page of the queue's file reads
     * that much around it).
     */
    static String kind(Map<String, String> env, Collection<String> jvmArgs) {
        boolean control =
                "false".equalsIgnoreCase(env.get("MLGUARD_ENABLED"))
                        || jvmArgs.contains("-Dmlguard.bench.sampledOutEvery=1")
                        || jvmArgs.contains("-Dmlguard.bench.switchHooks=false");
        StringBuilder kind = new StringBuilder(control ? "control" : "agent");
        new TreeMap<>(env)
                .forEach(
                        (key, value) -> {
                            if (key.startsWith("MLGUARD_")) {
                                kind.append(' ').append(key).append('=').append(value);
                            }
                        });
        for (String arg : jvmArgs) {
            if (arg.startsWith("-XX:")
                    || arg.startsWith("-Dmlguard.") && !RUN_JMH_OPTIONS.matcher(arg).lookingAt()) {
                kind.append(' ').append(arg);
            }
        }
        return kind.toString().replaceAll("\\s", " ");
    }

    /** The options run-jmh.sh gives every overhead run: they say where, not what, it measures. */
    private static final Pattern RUN_JMH_OPTIONS =
            Pattern.compile(
                    "-Dmlguard\\.(bench\\.(model|offCpuFile|ledger|commit|agentJar)"
                            + "|statsIntervalSeconds)=");

    /** What the even and the odd iterations ran, as the report names them. */
    record Turn(String even, String odd) {}

    /** {@link WithAndWithoutAgent}: an instrumented and a bare copy of the runtime. */
    static final Turn WITH_AND_WITHOUT = new Turn("with the agent", "without");

    /** {@link MiniLmCaptureTurns}: one runtime, the agent's capture switched on and off. */
    static final Turn CAPTURING_OR_NOT = new Turn("capturing", "sampled out");

    /** {@link HooksOnAndOff}: one runtime, the agent's hooks switched on and off. */
    static final Turn HOOKS_ON_OR_OFF = new Turn("hooks on", "hooks off");

    /** Each fork's and the whole run's median time off CPU per inference, for each copy. */
    private static void reportOffCpu(String label, RunResult run, Turn turn, Path file)
            throws IOException {
        Map<String, List<String[]>> byFork = new LinkedHashMap<>();
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file)) {
                String[] f = line.split("\t");
                if (f.length == 5) {
                    byFork.computeIfAbsent(f[0], k -> new ArrayList<>()).add(f);
                }
            }
        }
        List<BenchmarkResult> forks = new ArrayList<>(run.getBenchmarkResults());
        if (byFork.size() != forks.size()) {
            System.out.println(
                    label
                            + ": no time off CPU to report ("
                            + byFork.size()
                            + " forks wrote to "
                            + file
                            + ", "
                            + forks.size()
                            + " ran)");
            return;
        }
        List<Double> with = new ArrayList<>();
        List<Double> without = new ArrayList<>();
        int fork = 0;
        for (List<String[]> rows : byFork.values()) {
            int warmups = forks.get(fork++).getParams().getWarmup().getCount();
            List<Double> w = new ArrayList<>();
            List<Double> wo = new ArrayList<>();
            for (String[] f : rows) {
                long inferences = Long.parseLong(f[3]);
                if (Integer.parseInt(f[1]) < warmups || inferences == 0) {
                    continue;
                }
                double perInference = Long.parseLong(f[4]) / (double) inferences;
                (Boolean.parseBoolean(f[2]) ? w : wo).add(perInference);
            }
            with.addAll(w);
            without.addAll(wo);
            System.out.println(
                    String.format(
                            Locale.ROOT,
                            "%s fork %d: the serving thread off CPU per inference: %.0f ns %s,"
                                    + " %.0f ns %s",
                            label,
                            fork,
                            median(w),
                            turn.even(),
                            median(wo),
                            turn.odd()));
        }
        System.out.println(
                String.format(
                        Locale.ROOT,
                        "%s, %d forks: the serving thread off CPU per inference: %.0f ns %s, %.0f"
                                + " ns %s (medians of %d and %d iterations)",
                        label,
                        fork,
                        median(with),
                        turn.even(),
                        median(without),
                        turn.odd(),
                        with.size(),
                        without.size()));
    }

    private static List<OverheadLedger.Fork> report(
            String label, RunResult run, Turn turn, String runId) {
        List<OverheadLedger.Fork> forks = new ArrayList<>();
        String commit = System.getProperty("mlguard.bench.commit", "unknown");
        String agentJar = System.getProperty("mlguard.bench.agentJar", "unknown");
        List<Double> instrumented = new ArrayList<>();
        List<Double> bare = new ArrayList<>();
        List<Double> added = new ArrayList<>();
        List<Double> ratio = new ArrayList<>();
        int fork = 0;
        for (BenchmarkResult forkResult : run.getBenchmarkResults()) {
            fork++;
            int warmups = forkResult.getParams().getWarmup().getCount();
            List<Double> scores = new ArrayList<>();
            for (IterationResult it : forkResult.getIterationResults()) {
                scores.add(it.getPrimaryResult().getScore());
            }
            Turns turns = Turns.of(scores, warmups);
            instrumented.addAll(turns.instrumented);
            bare.addAll(turns.bare);
            added.addAll(turns.added);
            ratio.addAll(turns.ratio);
            forks.add(
                    new OverheadLedger.Fork(
                            runId,
                            label,
                            kind(System.getenv(), forkResult.getParams().getJvmArgs()),
                            commit,
                            agentJar,
                            fork,
                            turns.added.size(),
                            median(turns.instrumented),
                            median(turns.bare),
                            median(turns.added),
                            100 * median(turns.ratio)));
            System.out.println(
                    String.format(
                            Locale.ROOT,
                            "%s fork %d: %s %.2f us, %s %.2f us, added %.3f us (%+.2f %%) over %d"
                                    + " neighbouring pairs",
                            label,
                            fork,
                            turn.even(),
                            median(turns.instrumented),
                            turn.odd(),
                            median(turns.bare),
                            median(turns.added),
                            100 * median(turns.ratio),
                            turns.added.size()));
        }
        System.out.println(
                String.format(
                        Locale.ROOT,
                        "%s, %d forks: %s %.2f us, %s %.2f us (medians); added per inference"
                                + " %.3f us, %+.2f %% (medians of %d neighbouring pairs; middle"
                                + " half of the pairs %.3f to %.3f us, %+.2f to %+.2f %%)",
                        label,
                        fork,
                        turn.even(),
                        median(instrumented),
                        turn.odd(),
                        median(bare),
                        median(added),
                        100 * median(ratio),
                        added.size(),
                        quantile(added, 0.25),
                        quantile(added, 0.75),
                        100 * quantile(ratio, 0.25),
                        100 * quantile(ratio, 0.75)));
        return forks;
    }

    /** One fork's measurement iterations split by copy, and the neighbouring pairs' differences. */
    static final class Turns {
        final List<Double> instrumented = new ArrayList<>();
        final List<Double> bare = new ArrayList<>();
        final List<Double> added = new ArrayList<>();
        final List<Double> ratio = new ArrayList<>();

        /**
         * @param scores the measurement iterations' scores, in order
         * @param warmups how many warm-up iterations came before them (they took turns too)
         */
        static Turns of(List<Double> scores, int warmups) {
            Turns t = new Turns();
            for (int i = 0; i < scores.size(); i++) {
                boolean hooked = WithAndWithoutAgent.instrumented(warmups + i);
                (hooked ? t.instrumented : t.bare).add(scores.get(i));
                if (i > 0) {
                    double with = hooked ? scores.get(i) : scores.get(i - 1);
                    double without = hooked ? scores.get(i - 1) : scores.get(i);
                    t.added.add(with - without);
                    t.ratio.add((with - without) / without);
                }
            }
            return t;
        }
    }

    static double median(List<Double> values) {
        return quantile(values, 0.5);
    }

    /** Linear interpolation between the closest ranks; NaN for no values. */
    static double quantile(List<Double> values, double q) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        double pos = q * (sorted.size() - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.size() - 1);
        return sorted.get(lo) + (pos - lo) * (sorted.get(hi) - sorted.get(lo));
    }
}
