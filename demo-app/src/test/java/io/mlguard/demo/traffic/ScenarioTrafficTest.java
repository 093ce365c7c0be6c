package io.mlguard.demo.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlguard.demo.data.Dataset;
import io.mlguard.demo.data.MnistData;
import io.mlguard.demo.server.ModelServer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benign-realistic and drift scenarios against a real server. */
class ScenarioTrafficTest {
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
    void realisticBenignClientsRepeatThemselvesAndSendBursts() throws Exception {
        List<BenignRealistic.Request> plan = BenignRealistic.plan(DIGITS, 200, 11);
        assertThat(plan).hasSize(200);
        int retries = 0;
        int resubmits = 0;
        int bursts = 0;
        for (int i = 1; i < plan.size(); i++) {
            BenignRealistic.Request r = plan.get(i);
            BenignRealistic.Request previous = plan.get(i - 1);
            if (r.kind() == BenignRealistic.Kind.RETRY) {
                retries++;
                assertThat(r.input()).isEqualTo(previous.input());
            } else if (r.kind() == BenignRealistic.Kind.RESUBMIT) {
                resubmits++;
                assertThat(plan.subList(0, i)).anyMatch(p -> Arrays.equals(p.input(), r.input()));
            } else if (r.kind() == BenignRealistic.Kind.FRAME
                    && previous.kind() == BenignRealistic.Kind.FRAME
                    && r.truth() == previous.truth()) {
                double distance = l2(r.input(), previous.input());
                if (distance > 0 && distance < 1.0) {
                    bursts++;
                }
            }
        }
        assertThat(retries).isGreaterThanOrEqualTo(5);
        assertThat(resubmits).isGreaterThanOrEqualTo(3);
        // consecutive frames: near-identical, never identical
        assertThat(bursts).isGreaterThan(20);

        TrafficReport report =
                new TrafficGenerator(server.baseUrl(), models, 30, 3)
                        .run(Scenario.BENIGN_REALISTIC);
        assertThat(report.tallies()).hasSize(5);
        assertThat(report.tallies()).allSatisfy(t -> assertThat(t.requests()).isEqualTo(30));
        assertThat(report.allSucceeded()).isTrue();
        assertThat(accuracy(report)).isGreaterThan(0.85);
    }

    @Test
    void driftScenariosReachTheirModels() throws Exception {
        for (Scenario scenario :
                List.of(
                        Scenario.DRIFT_ROTATE,
                        Scenario.DRIFT_NOISE,
                        Scenario.DRIFT_CLASSMIX,
                        Scenario.DRIFT_CREDIT)) {
            TrafficReport report =
                    new TrafficGenerator(server.baseUrl(), models, 20, 5).run(scenario);
            assertThat(report.tallies()).hasSize(1);
            ClientTally tally = report.tallies().get(0);
            assertThat(tally.phase()).isEqualTo(scenario.cliName());
            assertThat(tally.succeeded()).as(scenario.cliName()).isEqualTo(20);
            assertThat(tally.labelled()).isEqualTo(20);
        }
    }

    @Test
    void driftCreditWithoutFeaturesIsReportedAsAFailure() throws Exception {
        TrafficReport report =
                new TrafficGenerator(server.baseUrl(), models.resolve("nowhere"), 5, 1)
                        .run(Scenario.DRIFT_CREDIT);
        assertThat(report.allSucceeded()).isFalse();
        assertThat(report.notes()).anyMatch(n -> n.contains("cannot read"));
    }

    @Test
    void scenarioNamesParseWithDashes() {
        assertThat(Scenario.parse("drift-credit")).isEqualTo(Scenario.DRIFT_CREDIT);
        assertThat(Scenario.parse(" HopSkipJump ")).isEqualTo(Scenario.HOPSKIPJUMP);
        assertThat(Scenario.BENIGN_REALISTIC.cliName()).isEqualTo("benign-realistic");
    }

    private static double accuracy(TrafficReport report) {
        int labelled = 0;
        int correct = 0;
        for (ClientTally t : report.tallies()) {
            labelled += t.labelled();
            correct += t.correct();
        }
        return correct / (double) labelled;
    }

    private static double l2(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return Math.sqrt(sum);
    }
}
