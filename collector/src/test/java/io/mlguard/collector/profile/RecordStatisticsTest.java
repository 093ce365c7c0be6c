package io.mlguard.collector.profile;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlguard.collector.TestTraffic;
import io.mlguard.protocol.InferenceRecord;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordStatisticsTest {
    @Test
    void everySlotHasItsOwnNameAndBack() {
        HashSet<String> names = new HashSet<>();
        for (int slot = 0; slot < RecordStatistics.SLOTS; slot++) {
            String name = RecordStatistics.name(slot);
            assertThat(names.add(name)).as(name).isTrue();
            assertThat(RecordStatistics.slot(name)).isEqualTo(slot);
        }
        assertThat(RecordStatistics.slot(RecordStatistics.CONFIDENCE))
                .isEqualTo(RecordStatistics.SLOT_CONFIDENCE);
        assertThat(RecordStatistics.slot("feature.31"))
                .isEqualTo(RecordStatistics.SLOT_FEATURE_0 + 31);
        assertThat(RecordStatistics.slot("feature.32")).isEqualTo(-1);
        assertThat(RecordStatistics.slot("nonsense")).isEqualTo(-1);
    }

    @Test
    void visitingBySlotGivesTheNamedValuesInTheSameOrder() {
        InferenceRecord r = TestTraffic.classified("m", "c0", 0, 0.2, 0.3, 4, 0.9, 20_000);
        r.featureCount = 3;
        r.features[0] = 0.5f;
        r.features[1] = Float.NaN; // not finite: visited by neither
        r.features[2] = -2f;
        List<String> named = new ArrayList<>();
        RecordStatistics.inputs(r, (n, v) -> named.add(n + "=" + v));
        RecordStatistics.outputs(r, (n, v) -> named.add(n + "=" + v));
        List<String> bySlot = new ArrayList<>();
        RecordStatistics.inputSlots(r, (s, v) -> bySlot.add(RecordStatistics.name(s) + "=" + v));
        RecordStatistics.outputSlots(r, (s, v) -> bySlot.add(RecordStatistics.name(s) + "=" + v));
        assertThat(bySlot)
                .isEqualTo(named)
                .contains("feature.0=0.5", "feature.2=-2.0")
                .anyMatch(s -> s.startsWith(RecordStatistics.CONFIDENCE))
                .noneMatch(s -> s.startsWith("feature.1="));
    }
}
