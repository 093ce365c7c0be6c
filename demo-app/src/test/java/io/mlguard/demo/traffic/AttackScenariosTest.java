package io.mlguard.demo.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mlguard.demo.TestModels;
import io.mlguard.demo.data.Dataset;
import io.mlguard.demo.data.MnistData;
import io.mlguard.demo.model.Mlp;
import io.mlguard.demo.model.ModelFiles;
import io.mlguard.demo.server.ModelServer;
import io.mlguard.demo.traffic.attack.AttackResult;
import io.mlguard.demo.traffic.attack.BoundaryAttack;
import io.mlguard.demo.traffic.attack.HopSkipJump;
import io.mlguard.demo.traffic.attack.NesAttack;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each attack, with a small budget, against a real server: it must work as an attack. */
class AttackScenariosTest {
    @TempDir static Path models;
    static ModelServer server;
    static final Dataset DIGITS = MnistData.load().heldOut();

    @BeforeAll
    static void start() throws Exception {
        server = ScenarioServer.start(models);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void hopSkipJumpFindsACloserAdversarialExampleEveryIteration() throws Exception {
        Mlp model = TestModels.normal().model();
        float[] source = correctlyClassified(model, 3);
        float[] start = correctlyClassified(model, 8);
        QueryOracle oracle = oracle("hsj", 600);
        AttackResult result = new HopSkipJump(oracle, 1).run(source, start, 8);
        assertDecisionAttackWorked(result, model, source, 3, 8, 600);
        assertThat(result.last()).isLessThan(0.8 * result.first());
    }

    @Test
    void boundaryAttackWalksTowardTheSource() throws Exception {
        Mlp model = TestModels.normal().model();
        float[] source = correctlyClassified(model, 4);
        float[] start = correctlyClassified(model, 9);
        QueryOracle oracle = oracle("boundary", 800);
        AttackResult result = new BoundaryAttack(oracle, 1).run(source, start, 9);
        assertDecisionAttackWorked(result, model, source, 4, 9, 800);
        assertThat(result.last()).isLessThan(result.first());
    }

    @Test
    void squareAttackDrivesTheTrueClassMarginDown() throws Exception {
        TrafficReport report =
                generator(AttackSettings.defaults().withBudget(500)).run(Scenario.SQUARE);
        AttackResult result = report.attacks().get(0);
        List<Double> margins = result.progress();
        assertThat(margins.size()).isGreaterThan(2);
        // the first value is the clean image's margin; every kept step lowers it
        for (int i = 2; i < margins.size(); i++) {
            assertThat(margins.get(i)).isLessThan(margins.get(i - 1));
        }
        assertThat(result.last()).isLessThan(result.first());
        assertThat(result.success()).isEqualTo(result.last() < 0);
        assertThat(result.queries()).isLessThanOrEqualTo(500);
        float[] x = result.example();
        float[] clean = null;
        for (int i = 0; i < DIGITS.size() && clean == null; i++) {
            if (linf(DIGITS.image(i), x) <= 0.12f + 1e-6f) {
                clean = DIGITS.image(i);
            }
        }
        assertThat(clean).as("the example stays in the L-inf ball of a held-out digit").isNotNull();
        assertThat(report.notes()).anyMatch(n -> n.startsWith("square: "));
        assertThat(report.allSucceeded()).isTrue();
    }

    @Test
    void nesLowersTheTrueClassMarginWithinItsBall() throws Exception {
        Mlp model = TestModels.normal().model();
        float[] source = correctlyClassified(model, 2);
        QueryOracle oracle = oracle("nes", 600);
        AttackResult result = new NesAttack(oracle, 3, 0.12).run(source, 2);
        assertThat(result.queries()).isEqualTo(600);
        assertThat(result.progress().size()).isGreaterThan(5);
        assertThat(result.last()).as(result.summary()).isLessThan(result.first() - 0.5);
        assertThat(linf(result.example(), source)).isLessThanOrEqualTo(0.12f + 1e-6f);
    }

    @Test
    void scoreBasedAttacksStartFromADigitTheServerClassifiesCorrectly() throws Exception {
        // a seed whose first drawn digit the server gets wrong, asked as the attacker will ask
        QueryOracle probe = oracle("probe", 5000);
        long seed = 0;
        while (true) {
            int k = new SplittableRandom(seed).nextInt(DIGITS.size());
            if (probe.label(DIGITS.image(k)) != DIGITS.label(k)) {
                break;
            }
            seed++;
        }
        for (Scenario scenario : List.of(Scenario.NES, Scenario.SQUARE)) {
            TrafficReport report =
                    new TrafficGenerator(
                                    server.baseUrl(),
                                    models,
                                    5,
                                    seed,
                                    AttackSettings.defaults().withBudget(60))
                            .run(scenario);
            AttackResult result = report.attacks().get(0);
            assertThat(report.notes())
                    .as("seed %d", seed)
                    .anyMatch(n -> n.contains("is already misclassified"));
            assertThat(result.first()).as(result.summary()).isGreaterThanOrEqualTo(0);
            assertThat(result.queries()).isGreaterThan(2);
        }
    }

    @Test
    void extractionCopiesTheServedModel() throws Exception {
        TrafficReport report =
                generator(AttackSettings.defaults().withBudget(1000)).run(Scenario.EXTRACTION);
        AttackResult result = report.attacks().get(0);
        assertThat(result.queries()).isEqualTo(1000);
        assertThat(result.last()).as(result.summary()).isGreaterThanOrEqualTo(0.70);
        assertThat(result.success()).isTrue();
        assertThat(report.tallies()).anySatisfy(t -> assertThat(t.client()).isEqualTo("evaluator"));
        assertThat(report.allSucceeded()).isTrue();
    }

    @Test
    void theOracleRotatesClientIdsAndStopsAtItsBudget() throws Exception {
        TrafficReport report = new TrafficReport();
        AttackSettings settings = new AttackSettings("mallory", 10, 25, Duration.ofMinutes(1));
        QueryOracle oracle =
                new QueryOracle(server.baseUrl(), ModelFiles.MNIST, "probe", settings, report);
        for (int i = 0; i < 24; i++) {
            assertThat(oracle.label(DIGITS.image(i))).isBetween(0, 9);
        }
        assertThat(oracle.probabilities(DIGITS.image(0)).length).isEqualTo(10);
        assertThat(oracle.clients()).containsExactly("mallory-r1", "mallory-r2", "mallory-r3");
        assertThat(report.tallies()).extracting(ClientTally::requests).containsExactly(10, 10, 5);
        assertThat(oracle.remaining()).isZero();
        assertThatThrownBy(() -> oracle.label(DIGITS.image(0)))
                .isInstanceOf(QueryOracle.BudgetExhausted.class)
                .hasMessageContaining("budget of 25");
        QueryOracle late =
                new QueryOracle(
                        server.baseUrl(),
                        ModelFiles.MNIST,
                        "late",
                        new AttackSettings("x", 0, 10, Duration.ZERO),
                        report);
        assertThatThrownBy(() -> late.label(DIGITS.image(0))).hasMessageContaining("time limit");
    }

    private static void assertDecisionAttackWorked(
            AttackResult result,
            Mlp model,
            float[] source,
            int sourceClass,
            int target,
            int budget) {
        assertThat(result.success()).isTrue();
        assertThat(result.queries()).isLessThanOrEqualTo(budget);
        float[] example = result.example();
        assertThat(model.predict(example)).isEqualTo(target).isNotEqualTo(sourceClass);
        List<Double> distances = result.progress();
        assertThat(distances.size()).isGreaterThan(2);
        for (int i = 1; i < distances.size(); i++) {
            assertThat(distances.get(i)).isLessThanOrEqualTo(distances.get(i - 1));
        }
        double l2 = 0;
        for (int i = 0; i < source.length; i++) {
            l2 += (example[i] - source[i]) * (example[i] - source[i]);
        }
        assertThat(Math.sqrt(l2))
                .isCloseTo(result.last(), org.assertj.core.data.Offset.offset(1e-6));
    }

    private static QueryOracle oracle(String phase, int budget) {
        return new QueryOracle(
                server.baseUrl(),
                ModelFiles.MNIST,
                phase,
                new AttackSettings("attacker", 0, budget, Duration.ofMinutes(2)),
                new TrafficReport());
    }

    private static TrafficGenerator generator(AttackSettings settings) {
        return new TrafficGenerator(server.baseUrl(), models, 5, 7, settings);
    }

    private static float[] correctlyClassified(Mlp model, int digit) {
        for (int i = 0; i < DIGITS.size(); i++) {
            if (DIGITS.label(i) == digit && model.predict(DIGITS.image(i)) == digit) {
                return DIGITS.image(i);
            }
        }
        throw new AssertionError("no correctly classified " + digit);
    }

    private static float linf(float[] a, float[] b) {
        float max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
