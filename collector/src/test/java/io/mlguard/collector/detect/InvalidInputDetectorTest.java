package io.mlguard.collector.detect;

import static io.mlguard.collector.TestRecords.T0;
import static io.mlguard.collector.TestRecords.inference;
import static io.mlguard.collector.TestRecords.nanInference;
import static org.assertj.core.api.Assertions.assertThat;

import io.mlguard.protocol.InferenceRecord;
import io.mlguard.protocol.Outcome;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InvalidInputDetectorTest {
    private final List<Signal> signals = new ArrayList<>();
    private final InvalidInputDetector detector = new InvalidInputDetector(10);
    private long index;

    private void feed(InferenceRecord r) {
        detector.onInference(r, index++, signals::add);
    }

    private void fillWindow(String model) {
        for (int i = 0; i < 10; i++) {
            feed(inference(model, "c1", T0 + i, 0.0 + i * 0.01, 1.0 - i * 0.01));
        }
    }

    @Test
    void nanOrInfIsAHighSignalEvenBeforeTheWindowIsFull() {
        feed(nanInference("m", "attacker", T0));

        assertThat(signals).hasSize(1);
        Signal s = signals.get(0);
        assertThat(s.type()).isEqualTo(SignalType.INVALID_INPUT);
        assertThat(s.severity()).isEqualTo(Severity.HIGH);
        assertThat(s.reason()).isEqualTo("nan_or_inf");
        assertThat(s.client()).isEqualTo("attacker");
        assertThat(s.model()).isEqualTo("m");
        assertThat(s.recordIndex()).isZero();
        assertThat(s.timestampMillis()).isEqualTo(T0);
        assertThat(s.evidence())
                .containsEntry("input", "input")
                .containsEntry("nanCount", 2L)
                .containsEntry("infCount", 1L)
                .containsEntry("elementCount", 4L);
    }

    @Test
    void inRangeInputsAfterTheWindowRaiseNothing() {
        fillWindow("m");
        feed(inference("m", "c2", T0 + 100, 0.0, 1.0));
        feed(inference("m", "c2", T0 + 101, 0.2, 0.7));
        // within the 5 % tolerance of the reference span
        feed(inference("m", "c2", T0 + 102, -0.04, 1.04));

        assertThat(signals).isEmpty();
    }

    @Test
    void outOfRangeBeforeTheWindowIsFullIsLearntNotFlagged() {
        for (int i = 0; i < 9; i++) {
            feed(inference("m", "c1", T0 + i, 0, 1));
        }
        feed(inference("m", "c1", T0 + 9, -5, 5));
        feed(inference("m", "c1", T0 + 10, -4, 4));

        assertThat(signals).isEmpty();
    }

    @Test
    void outOfRangeAfterTheWindowIsAMediumSignalWithEvidence() {
        fillWindow("m");
        feed(inference("m", "evil", T0 + 500, -3.5, 0.5));

        assertThat(signals).hasSize(1);
        Signal s = signals.get(0);
        assertThat(s.severity()).isEqualTo(Severity.MEDIUM);
        assertThat(s.reason()).isEqualTo("out_of_range");
        assertThat(s.client()).isEqualTo("evil");
        assertThat(s.recordIndex()).isEqualTo(10);
        assertThat(s.evidence())
                .containsEntry("input", "input")
                .containsEntry("observedMin", -3.5)
                .containsEntry("observedMax", 0.5)
                .containsEntry("referenceMin", 0.0)
                .containsEntry("referenceMax", 1.0)
                .containsEntry("referenceWindow", 10L);
        assertThat((Double) s.evidence().get("allowedMin")).isEqualTo(-0.05, within());
        assertThat((Double) s.evidence().get("allowedMax")).isEqualTo(1.05, within());
    }

    @Test
    void aMaxAboveTheRangeIsFlaggedToo() {
        fillWindow("m");
        feed(inference("m", "c", T0 + 500, 0.5, 255));

        assertThat(signals).singleElement().extracting(Signal::reason).isEqualTo("out_of_range");
    }

    @Test
    void referencesAreKeptPerModelAndInput() {
        fillWindow("small");
        // Model "big" has its own, not yet complete, window: its large values are learnt.
        feed(inference("big", "c", T0, 0, 1000));
        assertThat(signals).isEmpty();

        InferenceRecord otherInput = inference("small", "c", T0, 0, 1000);
        otherInput.inputs[0].name = "other";
        feed(otherInput);
        assertThat(signals).isEmpty();
    }

    @Test
    void failedAndNanRecordsDoNotShapeTheReference() {
        InferenceRecord failed = inference("m", "c", T0, -100, 100);
        failed.outcome = Outcome.ERROR;
        feed(failed);
        feed(nanInference("m", "c", T0));
        signals.clear();
        fillWindow("m");

        feed(inference("m", "c", T0 + 50, -100, 100));
        assertThat(signals).singleElement().extracting(Signal::reason).isEqualTo("out_of_range");
    }

    @Test
    void blockedCallsAreIgnored() {
        InferenceRecord r = nanInference("m", "c", T0);
        r.outcome = Outcome.BLOCKED;
        feed(r);
        assertThat(signals).isEmpty();
    }

    @Test
    void aConstantReferenceStillHasATolerance() {
        for (int i = 0; i < 10; i++) {
            feed(inference("m", "c", T0 + i, 1.0, 1.0));
        }
        feed(inference("m", "c", T0 + 20, 1.0, 1.0 + 1e-9));
        assertThat(signals).isEmpty();
        feed(inference("m", "c", T0 + 21, 1.0, 1.1));
        assertThat(signals).hasSize(1);
    }

    private static org.assertj.core.data.Offset<Double> within() {
        return org.assertj.core.data.Offset.offset(1e-9);
    }
}
