package io.mlguard.collector.store;

import static io.mlguard.collector.TestRecords.T0;
import static io.mlguard.collector.TestRecords.inference;
import static io.mlguard.collector.TestRecords.load;
import static io.mlguard.collector.TestRecords.sha;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mlguard.collector.detect.InvalidInputDetector;
import io.mlguard.collector.detect.ModelSubstitutionDetector;
import io.mlguard.collector.detect.Signal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A restored detector judges the next records as the original would have. */
class DetectorStateTest {
    @Test
    void referenceRangesRoundTripIncludingAnUnfinishedWindow() {
        InvalidInputDetector a = new InvalidInputDetector(3);
        List<Signal> sa = new ArrayList<>();
        a.onInference(inference("m", "c", T0, 0.1, 0.9), 1, sa::add);
        a.onInference(inference("m", "c", T0, 0.2, 1.0 / 3), 2, sa::add);
        InvalidInputDetector b = new InvalidInputDetector(3);
        b.restoreState(a.saveState());
        assertThat(b.saveState()).isEqualTo(a.saveState());
        List<Signal> sb = new ArrayList<>();
        for (InvalidInputDetector d : List.of(a, b)) {
            List<Signal> s = d == a ? sa : sb;
            d.onInference(inference("m", "c", T0, 0, 1), 3, s::add); // completes the window
            d.onInference(inference("m", "c", T0, -9, 1), 4, s::add); // out of range
        }
        assertThat(sb).hasSize(1);
        assertThat(sb.toString()).isEqualTo(sa.toString());
    }

    @Test
    void baselinesRoundTrip() {
        ModelSubstitutionDetector a = new ModelSubstitutionDetector(null);
        a.onModelLoad(load("m", sha('a'), T0), 1, s -> {});
        ModelSubstitutionDetector b = new ModelSubstitutionDetector(null);
        b.restoreState(a.saveState());
        List<Signal> signals = new ArrayList<>();
        b.onModelLoad(load("m", sha('b'), T0 + 1), 2, signals::add);
        assertThat(signals)
                .singleElement()
                .satisfies(s -> assertThat(s.reason()).isEqualTo("hash_changed"));
        assertThat(signals.get(0).evidence().get("expectedSha256")).isEqualTo(sha('a'));
    }

    @Test
    void garbageStateIsAClearError() {
        assertThatThrownBy(() -> new ModelSubstitutionDetector(null).restoreState("[1"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new InvalidInputDetector(3).restoreState("42"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
