package io.mlguard.collector.detect;

import static io.mlguard.collector.TestRecords.T0;
import static io.mlguard.collector.TestRecords.inference;
import static io.mlguard.collector.TestRecords.nanInference;
import static org.assertj.core.api.Assertions.assertThat;

import io.mlguard.protocol.DType;
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

    /**
     * Model {@code "a\0b"}'s input {@code "c"} and model {@code "a"}'s input {@code "b\0c"} have
     * references of their own: one's learnt range does not judge the other's inputs.
     */
    @Test
    void aNulInAModelIdDoesNotShareAnotherModelsReference() {
        for (int i = 0; i < 10; i++) {
            InferenceRecord r = inference("a\u0000b", "c1", T0 + i, 0, 1);
            r.inputs[0].name = "c";
            feed(r);
        }
        InferenceRecord other = inference("a", "c2", T0 + 20, 0, 1000);
        other.inputs[0].name = "b\u0000c";
        feed(other);
        assertThat(signals).as("a window of its own, still learning").isEmpty();
        assertThat(detector.saveState()).contains("\"ranges\"");
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

    /**
     * The recent (model, input) pairs answer as the reference map would: a detector that sees each
     * model id and input name as one string (the record reader's cache) and one that sees a new
     * string per record (never the same reference, so always the map) give the same signals and
     * state, through more interleaved pairs than are remembered, a restore and a full table.
     */
    @Test
    void recentPairsAnswerAsTheMapWouldThroughARestoreAndAFullTable() {
        String[] models = {"m0", "m1", "m2", "m3", "m4", "m5"};
        String[] inputs = {"input", "mask", "ids"};
        // a window the restore falls into: the restored ranges still learn afterwards
        InvalidInputDetector shared = new InvalidInputDetector(400);
        InvalidInputDetector copies = new InvalidInputDetector(400);
        List<Signal> a = new ArrayList<>();
        List<Signal> b = new ArrayList<>();
        java.util.Random random = new java.util.Random(9);
        int total = 20_000;
        for (int i = 0; i < total; i++) {
            if (i == total / 10) {
                String state = shared.saveState();
                shared.restoreState(state);
                copies.restoreState(state);
            }
            if (i == total / 10 + 50) { // still learning: every update must have reached the map
                assertThat(copies.saveState()).isEqualTo(shared.saveState());
            }
            if (i == 3 * total / 4) { // fill the table: later new pairs are refused
                for (int k = 0; k < InvalidInputDetector.MAX_REFERENCES; k++) {
                    InferenceRecord filler = inference("filler-" + k, "c", T0 + i, 0, 1);
                    shared.onInference(filler, i, a::add);
                    copies.onInference(filler, i, b::add);
                }
            }
            int m = random.nextInt(models.length);
            boolean learnt = i > total / 2; // every range complete: outliers now stand out
            double low = learnt && random.nextInt(50) == 0 ? -5 : random.nextDouble() * 0.1;
            double high = learnt && random.nextInt(50) == 0 ? 7 : 1 - random.nextDouble() * 0.1;
            InferenceRecord r = inference(models[m], "c" + random.nextInt(5), T0 + i, low, high);
            r.inputCount = 2;
            r.inputs[1].matrix(inputs[random.nextInt(inputs.length)], DType.FLOAT32, 1, 4);
            r.inputs[1].min = random.nextDouble();
            r.inputs[1].max = r.inputs[1].min + random.nextDouble();
            if (i >= 3 * total / 4 && random.nextInt(10) == 0) {
                r.modelId = "late-" + random.nextInt(3); // refused, every time
            }
            shared.onInference(r, i, a::add);
            InferenceRecord c = inference(new String(r.modelId), r.clientId, T0 + i, low, high);
            c.inputs[0].name = new String(r.inputs[0].name);
            c.inputCount = 2;
            c.inputs[1].matrix(new String(r.inputs[1].name), DType.FLOAT32, 1, 4);
            c.inputs[1].min = r.inputs[1].min;
            c.inputs[1].max = r.inputs[1].max;
            copies.onInference(c, i, b::add);
        }
        assertThat(a).hasSizeGreaterThan(100);
        assertThat(b).hasSameSizeAs(a);
        for (int i = 0; i < a.size(); i++) {
            assertThat(b.get(i).reason()).isEqualTo(a.get(i).reason());
            assertThat(b.get(i).model()).isEqualTo(a.get(i).model());
            assertThat(b.get(i).recordIndex()).isEqualTo(a.get(i).recordIndex());
            assertThat(b.get(i).evidence()).isEqualTo(a.get(i).evidence());
        }
        assertThat(shared.referencesRefused()).isGreaterThan(100);
        assertThat(copies.referencesRefused()).isEqualTo(shared.referencesRefused());
        assertThat(copies.saveState()).isEqualTo(shared.saveState());
    }
}
