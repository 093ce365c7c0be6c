package io.mlguard.collector.detect;

import static io.mlguard.collector.TestRecords.T0;
import static io.mlguard.collector.TestRecords.inference;
import static io.mlguard.collector.TestRecords.load;
import static io.mlguard.collector.TestRecords.sha;
import static org.assertj.core.api.Assertions.assertThat;

import io.mlguard.collector.config.AllowList;
import io.mlguard.protocol.InferenceRecord;
import io.mlguard.protocol.ModelLoadRecord;
import io.mlguard.protocol.Outcome;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelSubstitutionDetectorTest {
    private final List<Signal> signals = new ArrayList<>();
    private long index;

    private void loaded(ModelSubstitutionDetector d, ModelLoadRecord m) {
        d.onModelLoad(m, index++, signals::add);
    }

    private void infer(ModelSubstitutionDetector d, InferenceRecord r) {
        d.onInference(r, index++, signals::add);
    }

    private static InferenceRecord withPrefix(String model, String client, String sha) {
        InferenceRecord r = inference(model, client, T0 + 10, 0, 1);
        r.modelHashPrefix = ModelLoadRecord.hashPrefix(sha);
        return r;
    }

    @Test
    void reloadingTheSameModelIsNotASignal() {
        ModelSubstitutionDetector d = new ModelSubstitutionDetector(null);
        loaded(d, load("mnist", sha('a'), T0));
        loaded(d, load("mnist", sha('a'), T0 + 1000));
        infer(d, withPrefix("mnist", "c", sha('a')));

        assertThat(signals).isEmpty();
    }

    @Test
    void aDifferentHashIsACriticalSignalWithEvidence() {
        ModelSubstitutionDetector d = new ModelSubstitutionDetector(null);
        loaded(d, load("mnist", sha('a'), T0));
        ModelLoadRecord swapped = load("mnist", sha('b'), T0 + 5000);
        swapped.sizeBytes = 123_456;
        loaded(d, swapped);

        assertThat(signals).hasSize(1);
        Signal s = signals.get(0);
        assertThat(s.type()).isEqualTo(SignalType.MODEL_SUBSTITUTION);
        assertThat(s.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(s.reason()).isEqualTo("hash_changed");
        assertThat(s.model()).isEqualTo("mnist");
        assertThat(s.recordIndex()).isEqualTo(1);
        assertThat(s.timestampMillis()).isEqualTo(T0 + 5000);
        assertThat(s.evidence())
                .containsEntry("expectedHashPrefix", "aaaaaaaaaaaaaaaa")
                .containsEntry("observedHashPrefix", "bbbbbbbbbbbbbbbb")
                .containsEntry("sizeBytes", 123_456L)
                .containsEntry("source", "/models/mnist/model.onnx")
                .containsEntry("baselineSource", "first_load");
    }

    @Test
    void baselinesArePerModel() {
        ModelSubstitutionDetector d = new ModelSubstitutionDetector(null);
        loaded(d, load("a", sha('a'), T0));
        loaded(d, load("b", sha('b'), T0));
        assertThat(signals).isEmpty();
    }

    @Test
    void theFirstHashStaysTheBaselineAfterASubstitution() {
        ModelSubstitutionDetector d = new ModelSubstitutionDetector(null);
        loaded(d, load("m", sha('a'), T0));
        loaded(d, load("m", sha('b'), T0 + 1));
        loaded(d, load("m", sha('b'), T0 + 2));
        infer(d, withPrefix("m", "c", sha('b')));

        assertThat(signals)
                .extracting(Signal::reason)
                .containsExactly("hash_changed", "hash_changed", "inference_hash_mismatch");
    }

    @Test
    void anInferenceWithAnotherHashPrefixCoversAMissedLoad() {
        ModelSubstitutionDetector d = new ModelSubstitutionDetector(null);
        loaded(d, load("m", sha('a'), T0));
        infer(d, withPrefix("m", "client-7", sha('c')));

        assertThat(signals).hasSize(1);
        Signal s = signals.get(0);
        assertThat(s.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(s.reason()).isEqualTo("inference_hash_mismatch");
        assertThat(s.client()).isEqualTo("client-7");
        assertThat(s.evidence())
                .containsEntry("expectedHashPrefix", "aaaaaaaaaaaaaaaa")
                .containsEntry("observedHashPrefix", "cccccccccccccccc");
    }

    @Test
    void anUnknownPrefixAndFailedLoadsAreIgnored() {
        ModelSubstitutionDetector d = new ModelSubstitutionDetector(null);
        loaded(d, load("m", sha('a'), T0));
        infer(d, inference("m", "c", T0, 0, 1)); // prefix 0: the agent did not know the hash
        ModelLoadRecord failed = load("m", sha('f'), T0);
        failed.outcome = Outcome.ERROR;
        loaded(d, failed);
        loaded(d, load("m", null, T0));
        loaded(d, load("m", "not-a-hash", T0));

        assertThat(signals).isEmpty();
    }

    @Test
    void withoutALoadTheFirstInferencePrefixIsTheBaseline() {
        ModelSubstitutionDetector d = new ModelSubstitutionDetector(null);
        infer(d, withPrefix("m", "c", sha('a')));
        infer(d, withPrefix("m", "c", sha('a')));
        loaded(d, load("m", sha('a'), T0)); // confirms it
        assertThat(signals).isEmpty();

        loaded(d, load("m", sha('d'), T0 + 1));
        assertThat(signals).singleElement().extracting(Signal::reason).isEqualTo("hash_changed");
    }

    @Test
    void allowListHitIsNotASignalAndMissIs() throws Exception {
        AllowList list =
                AllowList.parse(List.of(sha('a') + "  model-v1.onnx", sha('b') + "  v2"), "t");
        ModelSubstitutionDetector d = new ModelSubstitutionDetector(list);

        loaded(d, load("m", sha('a'), T0));
        loaded(d, load("m", sha('b'), T0 + 1)); // a listed new version is a legitimate deploy
        infer(d, withPrefix("m", "c", sha('a')));
        assertThat(signals).isEmpty();

        loaded(d, load("m", sha('e'), T0 + 2));
        assertThat(signals).hasSize(1);
        Signal s = signals.get(0);
        assertThat(s.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(s.reason()).isEqualTo("not_in_allow_list");
        assertThat(s.evidence())
                .containsEntry("observedHashPrefix", "eeeeeeeeeeeeeeee")
                .containsEntry("expectedHashPrefix", "bbbbbbbbbbbbbbbb")
                .containsEntry("allowListSize", 2L);
    }

    @Test
    void withAnAllowListEvenTheFirstLoadMustBeListed() throws Exception {
        AllowList list = AllowList.parse(List.of(sha('a') + "  model.onnx"), "t");
        ModelSubstitutionDetector d = new ModelSubstitutionDetector(list);
        loaded(d, load("m", sha('9'), T0));
        infer(d, withPrefix("m", "c", sha('9')));

        assertThat(signals)
                .extracting(Signal::reason)
                .containsExactly("not_in_allow_list", "inference_hash_not_in_allow_list");
    }
}
