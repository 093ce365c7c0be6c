package io.mlguard.collector.profile;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlguard.collector.TestTraffic;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProfileTrackerTest {
    @Test
    void buildsAProfileFromTheFirstRecordsOfEachModel() {
        ProfileTracker t = new ProfileTracker(50, List.of());
        for (int i = 0; i < 49; i++) {
            t.onInference(TestTraffic.classified("a", "c", i, 1, 1, 3, 0.8, 1000), i, s -> {});
        }
        assertThat(t.profile("a")).isNull();
        t.onInference(TestTraffic.classified("a", "c", 49, 1, 1, 3, 0.8, 1000), 49, s -> {});
        assertThat(t.profile("a").records()).isEqualTo(50);
        assertThat(t.profile("a").classCounts()[3]).isEqualTo(50);
    }

    @Test
    void aLoadedProfileWinsAndModelsAreBounded() {
        ModelProfile loaded = ProfileFileTest.sample();
        ProfileTracker t = new ProfileTracker(10, List.of(loaded));
        t.onInference(TestTraffic.classified("mnist", "c", 0, 1, 1, 3, 0.8, 1000), 0, s -> {});
        assertThat(t.profile("mnist")).isSameAs(loaded);
        for (int m = 0; m < ProfileTracker.MAX_MODELS + 100; m++) {
            t.onInference(TestTraffic.classified("m" + m, "c", 0, 1, 1, 3, 0.8, 1000), 0, s -> {});
        }
        assertThat(t.modelsRefused()).isEqualTo(101);
    }
}
