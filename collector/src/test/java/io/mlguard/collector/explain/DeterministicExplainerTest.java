package io.mlguard.collector.explain;

import static io.mlguard.collector.TestRecords.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.mlguard.collector.detect.Severity;
import io.mlguard.collector.detect.Signal;
import io.mlguard.collector.detect.SignalType;
import io.mlguard.collector.incident.InMemoryIncidentStore;
import io.mlguard.collector.incident.Incident;
import io.mlguard.collector.incident.IncidentManager;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DeterministicExplainerTest {
    private static final String CLIENT = "<script>alert(1)</script>";

    private static Incident incidentOf(Signal... signals) {
        InMemoryIncidentStore store = new InMemoryIncidentStore();
        IncidentManager m =
                new IncidentManager(
                        store,
                        new DeterministicExplainer(),
                        Clock.systemUTC(),
                        Duration.ofMinutes(10),
                        100);
        for (Signal s : signals) {
            m.accept(s);
        }
        return store.list().get(0);
    }

    @Test
    void outOfRangeInputIsExplainedFromItsNumbers() {
        Incident i =
                incidentOf(
                        Signal.builder(SignalType.INVALID_INPUT, Severity.MEDIUM, "out_of_range")
                                .model("mnist")
                                .client(CLIENT)
                                .record(1, T0)
                                .evidence("input", "pixels")
                                .evidence("observedMin", -3.5)
                                .evidence("observedMax", 0.5)
                                .evidence("referenceMin", 0.0)
                                .evidence("referenceMax", 1.0)
                                .evidence("allowedMin", -0.05)
                                .evidence("allowedMax", 1.05)
                                .build());

        Explanation e = i.explanation();
        assertThat(e.summary())
                .contains("1 request to model \"mnist\" from 1 client")
                .contains("\"pixels\"")
                .contains("-3.50000")
                .contains("reference [0.00000, 1.00000]");
        assertThat(e.likelyCause()).contains("reference window");
        assertThat(e.recommendedActions())
                .anySatisfy(a -> assertThat(a).contains("[-0.0500000, 1.05000]"));
        assertThat(e.recommendedActions()).hasSizeGreaterThanOrEqualTo(3);
        assertThat(e.generatedBy()).isEqualTo("deterministic");
        // Client identities are counted, never quoted.
        assertThat(e.summary() + e.likelyCause() + e.recommendedActions()).doesNotContain("script");
    }

    @Test
    void nanInputNamesThePoisonedNumbers() {
        Incident i =
                incidentOf(
                        Signal.builder(SignalType.INVALID_INPUT, Severity.HIGH, "nan_or_inf")
                                .model("mnist")
                                .client("c")
                                .record(1, T0)
                                .evidence("input", "x")
                                .build());

        assertThat(i.explanation().summary()).contains("NaN or infinite");
        assertThat(i.explanation().likelyCause()).contains("NaN");
    }

    @Test
    void substitutionSaysWhichHashWasExpected() {
        Incident i =
                incidentOf(
                        Signal.builder(
                                        SignalType.MODEL_SUBSTITUTION,
                                        Severity.CRITICAL,
                                        "hash_changed")
                                .model("fraud\nmodel")
                                .record(1, T0)
                                .evidence("observedHashPrefix", "bbbbbbbbbbbbbbbb")
                                .evidence("expectedHashPrefix", "aaaaaaaaaaaaaaaa")
                                .evidence("sizeBytes", 1234L)
                                .evidence("source", "/models/fraud.onnx")
                                .build());

        Explanation e = i.explanation();
        assertThat(e.summary())
                .contains("\"fraud?model\"") // control characters never reach the text
                .contains("bbbbbbbbbbbbbbbb")
                .contains("aaaaaaaaaaaaaaaa")
                .contains("1234 bytes")
                .contains("/models/fraud.onnx");
        assertThat(e.recommendedActions())
                .anySatisfy(a -> assertThat(a).contains("roll back"))
                .anySatisfy(a -> assertThat(a).contains("allow-list"));
    }
}
