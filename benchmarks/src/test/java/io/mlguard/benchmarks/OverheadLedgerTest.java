package io.mlguard.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OverheadLedgerTest {
    @Test
    void theIntervalsCoverageIsTheSignTestsOneMinusTwiceTheBinomialTail() {
        // P(Bin(15, 1/2) <= 3) = (1 + 15 + 105 + 455) / 2^15
        assertThat(OverheadLedger.coverage(15, 4)).isCloseTo(1 - 2 * 576 / 32768.0, within(1e-12));
        assertThat(OverheadLedger.coverage(6, 1)).isCloseTo(1 - 2 / 64.0, within(1e-12));
        assertThat(OverheadLedger.lowerRank(15, 0.95)).isEqualTo(4); // k = 5 covers only 88 %
        assertThat(OverheadLedger.lowerRank(9, 0.95)).isEqualTo(2);
        assertThat(OverheadLedger.lowerRank(6, 0.95)).isEqualTo(1);
        assertThat(OverheadLedger.lowerRank(5, 0.95)).isZero(); // 1 - 2 / 32 = 93.75 %
        assertThat(OverheadLedger.lowerRank(1, 0.95)).isZero();
        assertThatThrownBy(() -> OverheadLedger.coverage(4, 3))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void manyForksGiveTheRankTheNormalApproximationGivesWithoutUnderflow() {
        int n = 2000; // 2^-2000 underflows a double: the sum is taken in logarithms
        int k = OverheadLedger.lowerRank(n, 0.95);
        assertThat(OverheadLedger.coverage(n, k)).isBetween(0.95, 0.96);
        assertThat(OverheadLedger.coverage(n, k + 1)).isLessThan(0.95);
        assertThat(k).isCloseTo((int) Math.round(n / 2.0 - 1.96 * Math.sqrt(n) / 2), within(2));
    }

    @Test
    void theIntervalEnclosesASkewedDistributionsMedianAsOftenAsItsCoverageSays() {
        // exponential draws, median ln 2, the mean (1) well outside the middle
        Random random = new Random(7);
        int n = 15;
        int k = OverheadLedger.lowerRank(n, 0.95);
        int trials = 20_000;
        int covered = 0;
        for (int t = 0; t < trials; t++) {
            List<Double> draws = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                draws.add(-Math.log(1 - random.nextDouble()));
            }
            double[] interval = OverheadLedger.interval(draws, k);
            if (interval[0] <= Math.log(2) && Math.log(2) <= interval[1]) {
                covered++;
            }
        }
        // 0.9648 expected; the binomial's standard error over 20,000 trials is 0.0013
        assertThat(covered / (double) trials)
                .isCloseTo(OverheadLedger.coverage(n, k), within(0.006));
    }

    private static OverheadLedger.Fork fork(String run, String jar, int fork, double addedUs) {
        return new OverheadLedger.Fork(
                run,
                "MiniLm",
                "agent",
                "abc1234",
                jar,
                fork,
                597,
                4800 + addedUs,
                4800,
                addedUs,
                100 * addedUs / 4800);
    }

    @Test
    void forksAreAppendedUnderOneHeaderAndReadBackAsWritten(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("ledger/forks.tsv");
        List<OverheadLedger.Fork> first =
                List.of(fork("r1", "jarA", 1, 12.5), fork("r1", "jarA", 2, -3));
        List<OverheadLedger.Fork> second = List.of(fork("r2", "jarA", 1, 20.25));
        OverheadLedger.append(file, first);
        OverheadLedger.append(file, second);

        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(4).first().isEqualTo(OverheadLedger.HEADER);
        List<OverheadLedger.Fork> read =
                OverheadLedger.read(file, new PrintStream(new ByteArrayOutputStream()));
        assertThat(read).extracting(OverheadLedger.Fork::run).containsExactly("r1", "r1", "r2");
        assertThat(read)
                .extracting(OverheadLedger.Fork::addedUs)
                .containsExactly(12.5, -3.0, 20.25);
        assertThat(read.get(0).addedPercent()).isCloseTo(100 * 12.5 / 4800, within(1e-4));
    }

    @Test
    void aLineThatIsNotAForksResultIsNamedAndLeftOutAndTheRestIsRead(@TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("forks.tsv");
        OverheadLedger.append(file, List.of(fork("r1", "jarA", 1, 10)));
        String good = Files.readAllLines(file).get(1);
        Files.writeString(
                file,
                String.join(
                        "\n",
                        OverheadLedger.HEADER,
                        good,
                        "half a line\t1",
                        good.replace("\t10.0000\t", "\tNaN\t"),
                        good.replace("\t597\t", "\tmany\t"),
                        "",
                        good));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<OverheadLedger.Fork> read =
                OverheadLedger.read(file, new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(read).hasSize(2);
        String said = err.toString(StandardCharsets.UTF_8);
        assertThat(said).contains(file + ":3: left out", "2 fields where 11 belong");
        assertThat(said).contains(file + ":4: left out", "not a finite number: NaN");
        assertThat(said).contains(file + ":5: left out", "many");
        assertThat(said.lines()).hasSize(3);
        assertThat(Files.readString(file)).contains("half a line"); // the file is left as it was
    }

    @Test
    void forksPoolByAgentJarWithTheMedianAndItsInterval() {
        List<OverheadLedger.Fork> forks = new ArrayList<>();
        double[] added = {9, 3, 14, 7, 11, 5, 12, 8, 10, 6, 4, 13, 15, 2, 1}; // 15 forks of jarA
        for (int i = 0; i < added.length; i++) {
            forks.add(fork("r" + (i / 3), "jarA", i % 3 + 1, added[i]));
        }
        forks.add(fork("r9", "jarB", 1, 50)); // another build: never pooled with jarA
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        OverheadLedger.printPooled(forks, new PrintStream(out, true, StandardCharsets.UTF_8));

        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(2);
        // median 8; with 15 forks the 4th smallest and 4th largest, 4 and 12, at 96.5 %
        assertThat(lines.get(0))
                .startsWith("pooled MiniLm (agent, agent jar jarA), 15 forks of 5 runs")
                .contains("added 8.000 us", "96.5 % interval of the median 4.000 to 12.000 us");
        assertThat(lines.get(1))
                .startsWith("pooled MiniLm (agent, agent jar jarB), 1 forks of 1 runs")
                .contains("added 50.000 us", "too few forks for a 95 % interval");
    }

    @Test
    void
            theKindSaysControlAndNamesEveryAgentSettingJvmOptionAndTheDisksReadAheadButNotWhereTheRunWrites() {
        List<String> args =
                Arrays.asList(
                        "-Xmx1g",
                        "-Dmlguard.bench.readAheadKb=8192",
                        "-Dmlguard.bench.model=/x/model.onnx",
                        "-Dmlguard.bench.ledger=/x/forks.tsv",
                        "-Dmlguard.statsIntervalSeconds=1",
                        "-Dmlguard.bench.broadProfiles=true",
                        "-XX:+UseTransparentHugePages");
        assertThat(AgentOverhead.kind(Map.of("PATH", "/bin"), args))
                .isEqualTo(
                        "agent -Dmlguard.bench.readAheadKb=8192 -Dmlguard.bench.broadProfiles=true"
                                + " -XX:+UseTransparentHugePages");
        assertThat(AgentOverhead.kind(Map.of("MLGUARD_ENABLED", "false"), List.of()))
                .isEqualTo("control MLGUARD_ENABLED=false");
        assertThat(
                        AgentOverhead.kind(
                                Map.of("MLGUARD_DEFER_SUMMARIES", "false", "MLGUARD_A", "x\ty"),
                                List.of("-Dmlguard.bench.sampledOutEvery=1")))
                .isEqualTo(
                        "control MLGUARD_A=x y MLGUARD_DEFER_SUMMARIES=false"
                                + " -Dmlguard.bench.sampledOutEvery=1");
        assertThat(AgentOverhead.kind(Map.of(), List.of("-Dmlguard.bench.switchHooks=false")))
                .isEqualTo("control -Dmlguard.bench.switchHooks=false");
        assertThat(AgentOverhead.kind(Map.of(), List.of("-Dmlguard.bench.switchHooks=true")))
                .isEqualTo("agent -Dmlguard.bench.switchHooks=true");
    }
}
