package io.mlguard.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Every fork's result of {@link AgentOverhead}, kept across runs in one tab-separated file, so that
 * runs made one after another pool into one estimate with an interval. One run's three forks do not
 * settle a 0.5 % question on this machine: the median of one fork's neighbouring pairs moves by
 * about half a percent from fork to fork, with the agent or without. Forks are separate JVMs, so
 * their medians are independent draws, and the median of many has a distribution-free confidence
 * interval from the order statistics alone (the sign test's): between the k-th smallest and the
 * k-th largest of n fork medians lies the true median with probability {@code 1 - 2 P(Bin(n, 1/2) <
 * k)}, whatever the forks' distribution.
 *
 * <p>Rows are grouped by benchmark, kind (the agent's turns, or the control that compares like with
 * like and shows the method's own error) and the agent jar's digest, so that runs of different
 * builds never pool.
 */
final class OverheadLedger {
    static final String HEADER =
            "run\tbenchmark\tkind\tcommit\tagentJar\tfork\tpairs\tinstrumentedUs\tbareUs\taddedUs"
                    + "\taddedPercent";

    /** The confidence of the intervals printed. */
    static final double CONFIDENCE = 0.95;

    private OverheadLedger() {}

    /** One fork's medians (of its iterations, and of its neighbouring pairs' differences). */
    record Fork(
            String run,
            String benchmark,
            String kind,
            String commit,
            String agentJar,
            int fork,
            int pairs,
            double instrumentedUs,
            double bareUs,
            double addedUs,
            double addedPercent) {

        String line() {
            return String.join(
                    "\t",
                    run,
                    benchmark,
                    kind,
                    commit,
                    agentJar,
                    Integer.toString(fork),
                    Integer.toString(pairs),
                    number(instrumentedUs),
                    number(bareUs),
                    number(addedUs),
                    number(addedPercent));
        }

        /** The row of one line; an {@link IllegalArgumentException} saying what is wrong. */
        static Fork parse(String line) {
            String[] f = line.split("\t", -1);
            if (f.length != 11) {
                throw new IllegalArgumentException(f.length + " fields where 11 belong");
            }
            for (int i = 0; i < 5; i++) {
                if (f[i].isEmpty()) {
                    throw new IllegalArgumentException("field " + (i + 1) + " is empty");
                }
            }
            return new Fork(
                    f[0],
                    f[1],
                    f[2],
                    f[3],
                    f[4],
                    Integer.parseInt(f[5]),
                    Integer.parseInt(f[6]),
                    finite(f[7]),
                    finite(f[8]),
                    finite(f[9]),
                    finite(f[10]));
        }

        /** What forks pool by: one benchmark, one kind of run, one agent build. */
        String group() {
            return benchmark + " (" + kind + ", agent jar " + agentJar + ")";
        }
    }

    private static String number(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    private static double finite(String field) {
        double v = Double.parseDouble(field);
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException("not a finite number: " + field);
        }
        return v;
    }

    /** Appends the forks to {@code file}, writing the header first if the file is new. */
    static void append(Path file, List<Fork> forks) throws IOException {
        StringBuilder text = new StringBuilder();
        if (!Files.exists(file) || Files.size(file) == 0) {
            text.append(HEADER).append('\n');
        }
        for (Fork f : forks) {
            text.append(f.line()).append('\n');
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.write(
                file,
                text.toString().getBytes(StandardCharsets.UTF_8),
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    /**
     * Every row of {@code file}; a line that does not parse is named on {@code err} and left out,
     * and the file is left as it was.
     */
    static List<Fork> read(Path file, PrintStream err) throws IOException {
        List<Fork> forks = new ArrayList<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank() || line.equals(HEADER)) {
                continue;
            }
            try {
                forks.add(Fork.parse(line));
            } catch (IllegalArgumentException e) { // NumberFormatException too
                err.println(file + ":" + (i + 1) + ": left out, not a fork's result (" + e + ")");
            }
        }
        return forks;
    }

    /** One line per group of forks: how many, from how many runs, their median and its interval. */
    static void printPooled(List<Fork> forks, PrintStream out) {
        Map<String, List<Fork>> groups = new LinkedHashMap<>();
        for (Fork f : forks) {
            groups.computeIfAbsent(f.group(), g -> new ArrayList<>()).add(f);
        }
        for (Map.Entry<String, List<Fork>> g : groups.entrySet()) {
            List<Fork> rows = g.getValue();
            List<Double> us = new ArrayList<>();
            List<Double> percent = new ArrayList<>();
            Set<String> runs = new LinkedHashSet<>();
            Set<String> commits = new LinkedHashSet<>();
            for (Fork f : rows) {
                us.add(f.addedUs());
                percent.add(f.addedPercent());
                runs.add(f.run());
                commits.add(f.commit());
            }
            StringBuilder line =
                    new StringBuilder(
                            String.format(
                                    Locale.ROOT,
                                    "pooled %s, %d forks of %d runs (source %s): added %.3f us,"
                                            + " %+.2f %% (medians of the forks' medians)",
                                    g.getKey(),
                                    rows.size(),
                                    runs.size(),
                                    String.join(" ", commits),
                                    AgentOverhead.median(us),
                                    AgentOverhead.median(percent)));
            int k = lowerRank(rows.size(), CONFIDENCE);
            if (k == 0) {
                line.append(
                        String.format(
                                Locale.ROOT,
                                "; too few forks for a %.0f %% interval (6 at least)",
                                100 * CONFIDENCE));
            } else {
                double[] u = interval(us, k);
                double[] p = interval(percent, k);
                line.append(
                        String.format(
                                Locale.ROOT,
                                "; %.1f %% interval of the median %.3f to %.3f us, %+.2f to %+.2f"
                                        + " %%",
                                100 * coverage(rows.size(), k),
                                u[0],
                                u[1],
                                p[0],
                                p[1]));
            }
            out.println(line);
        }
    }

    /** The {@code k}-th smallest and {@code k}-th largest of {@code values} (k from 1). */
    static double[] interval(List<Double> values, int k) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return new double[] {sorted.get(k - 1), sorted.get(sorted.size() - k)};
    }

    /**
     * The largest {@code k} such that the k-th smallest and the k-th largest of {@code n}
     * independent draws enclose their distribution's median with probability at least {@code
     * confidence}; 0 if even the smallest and the largest do not.
     */
    static int lowerRank(int n, double confidence) {
        int k = 0;
        while (k + 1 <= (n + 1) / 2 && coverage(n, k + 1) >= confidence) {
            k++;
        }
        return k;
    }

    /**
     * The probability that the k-th smallest and the k-th largest of n independent draws enclose
     * the median: {@code 1 - 2 P(Bin(n, 1/2) <= k - 1)}, summed in logarithms so that no term
     * underflows for large n.
     */
    static double coverage(int n, int k) {
        if (n < 1 || k < 1 || 2 * k > n + 1) {
            throw new IllegalArgumentException("no such interval: n=" + n + ", k=" + k);
        }
        double tail = 0;
        double logChoose = 0; // log C(n, 0)
        double logHalfToN = n * Math.log(0.5);
        for (int i = 0; i < k; i++) {
            tail += Math.exp(logChoose + logHalfToN);
            logChoose += Math.log((double) (n - i) / (i + 1));
        }
        return Math.max(0, 1 - 2 * tail);
    }
}
