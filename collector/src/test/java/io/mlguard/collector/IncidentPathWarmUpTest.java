package io.mlguard.collector;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlguard.collector.detect.SignalType;
import org.junit.jupiter.api.Test;

class IncidentPathWarmUpTest {
    @Test
    void makesOneIncidentPerSignalTypeInItsOwnScratchStore() {
        assertThat(IncidentPathWarmUp.run()).isEqualTo(SignalType.values().length);
    }
}
