package io.mlguard.collector.incident;

import static io.mlguard.collector.TestRecords.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mlguard.collector.detect.Severity;
import io.mlguard.collector.detect.Signal;
import io.mlguard.collector.detect.SignalType;
import io.mlguard.collector.explain.DeterministicExplainer;
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
    void damagedDocumentsAreClearErrors() {
        assertThatThrownBy(() -> IncidentCodec.decode("{nope"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not JSON");
        assertThatThrownBy(() -> IncidentCodec.decode("{\"type\":\"invalid_input\"}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'id'");
    }
}
