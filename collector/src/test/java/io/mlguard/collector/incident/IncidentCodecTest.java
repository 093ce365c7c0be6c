package io.mlguard.collector.incident;

import static io.mlguard.collector.TestRecords.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mlguard.collector.detect.Severity;
import io.mlguard.collector.detect.Signal;
import io.mlguard.collector.detect.SignalType;
import io.mlguard.collector.explain.AtlasTechnique;
import io.mlguard.collector.explain.DeterministicExplainer;
import io.mlguard.collector.explain.Explanation;
import io.mlguard.collector.explain.ResponseAction;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class IncidentCodecTest {
    @Test
    void everyFieldReadsBackExactly() {
        InMemoryIncidentStore store = new InMemoryIncidentStore();
        IncidentManager m =
                new IncidentManager(
                        store,
                        new DeterministicExplainer(),
                        Clock.systemUTC(),
                        Duration.ofMinutes(10),
                        10);
        m.accept(
                Signal.builder(SignalType.INVALID_INPUT, Severity.MEDIUM, "out_of_range")
                        .model("m\u0000\"<x>")
                        .client("c1")
                        .record(7, T0)
                        .evidence("observedMin", -50.0)
                        .evidence("whole", 3.0)
                        .evidence("nan", Double.NaN)
                        .evidence("n", 12L)
                        .evidence("input", "in")
                        .build());
        m.accept(
                Signal.builder(SignalType.INVALID_INPUT, Severity.HIGH, "nan_or_inf")
                        .model("m\u0000\"<x>")
                        .client("c1")
                        .record(9, T0 + 5)
                        .evidence("n", 13L)
                        .build());
        Incident i = store.list().get(0);
        Incident back = IncidentCodec.decode(IncidentCodec.encode(i));
        assertThat(IncidentCodec.encode(back)).isEqualTo(IncidentCodec.encode(i));
        assertThat(back.evidence()).isEqualTo(i.evidence());
        assertThat(back.evidence().get("n")).isInstanceOf(Long.class).isEqualTo(13L);
        assertThat(back.evidence().get("whole")).isInstanceOf(Double.class);
        assertThat(back.reasons()).isEqualTo(i.reasons());
        assertThat(back.clients()).containsExactly("c1");
        assertThat(back.count()).isEqualTo(2);
        assertThat(back.severity()).isEqualTo(Severity.HIGH);
        assertThat(back.firstRecordIndex()).isEqualTo(7);
        assertThat(back.lastRecordIndex()).isEqualTo(9);
        assertThat(back.groupKey()).isEqualTo(i.groupKey());
        assertThat(back.explanation().summary()).isEqualTo(i.explanation().summary());
        assertThat(back.explanation().recommendedActions())
                .isEqualTo(i.explanation().recommendedActions());
    }

    @Test
    void chartDataTimelineAndTheWholeExplanationReadBack() {
        InMemoryIncidentStore store = new InMemoryIncidentStore();
        IncidentManager m =
                new IncidentManager(
                        store,
                        f -> fallbackExplanation(),
                        Clock.systemUTC(),
                        Duration.ofHours(1),
                        10);
        for (int k = 0; k < 3; k++) {
            m.accept(
                    Signal.builder(SignalType.DATA_DRIFT, Severity.MEDIUM, "window_shift")
                            .model("m")
                            .record(k, T0 + k * 5_000L)
                            .evidence("referenceShares", new double[] {0.5, Double.NaN, 0.5})
                            .evidence("counts", new long[] {1, 2, 3})
                            .build());
        }
        Incident i = store.list().get(0);
        Incident back = IncidentCodec.decode(IncidentCodec.encode(i));

        assertThat(back.evidence().get("referenceShares"))
                .isEqualTo(java.util.Arrays.asList(0.5, null, 0.5));
        assertThat(back.evidence().get("counts")).isEqualTo(java.util.List.of(1L, 2L, 3L));
        assertThat(back.timeline().counts()).containsExactly(1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1);
        assertThat(back.timeline().startMillis()).isEqualTo(T0);
        assertThat(back.explanation().fallbackReason()).isEqualTo("LLM timed out");
        assertThat(back.explanation().technique()).isEqualTo(AtlasTechnique.values()[0]);
        assertThat(back.explanation().actions()).containsExactly(ResponseAction.INVESTIGATE);
        assertThat(back.explanation().citedEvidence()).containsExactly("counts");
        assertThat(back.explanation().confidence()).isEqualTo(0.4);
        assertThat(IncidentCodec.encode(back)).isEqualTo(IncidentCodec.encode(i));
    }

    @Test
    void documentsFromBeforeTimelinesGetOneBucket() {
        Incident back =
                IncidentCodec.decode(
                        "{\"id\":\"inc-0123456789abcdef\",\"groupKey\":\"k\","
                                + "\"type\":\"invalid_input\",\"severity\":\"high\","
                                + "\"firstSeen\":"
                                + T0
                                + ",\"count\":7,\"explanation\":{\"summary\":\"s\","
                                + "\"likelyCause\":\"c\",\"generatedBy\":\"deterministic\"}}");
        assertThat(back.timeline().counts()).containsExactly(7);
        assertThat(back.timeline().startMillis()).isEqualTo(T0);
        assertThat(back.explanation().source()).isEqualTo("deterministic");
        assertThat(back.explanation().fallbackReason()).isNull();
    }

    private static Explanation fallbackExplanation() {
        return new Explanation(
                "s",
                "c",
                java.util.List.of("look"),
                "deterministic",
                Explanation.SOURCE_DETERMINISTIC,
                AtlasTechnique.values()[0],
                Severity.MEDIUM,
                0.4,
                java.util.List.of(ResponseAction.INVESTIGATE),
                java.util.List.of("counts"),
                "LLM timed out");
    }

    @Test
    void damagedDocumentsAreClearErrors() {
        assertThatThrownBy(() -> IncidentCodec.decode("{nope"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not JSON");
        assertThatThrownBy(() -> IncidentCodec.decode("{\"type\":\"invalid_input\"}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'id'");
    }
}
