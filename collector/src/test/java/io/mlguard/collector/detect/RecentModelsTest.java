package io.mlguard.collector.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlguard.collector.TestTraffic;
import io.mlguard.collector.profile.ProfileTracker;
import io.mlguard.protocol.InferenceRecord;
import io.mlguard.protocol.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The per-model state caches answer as the detectors' maps would: one detector sees each model id
 * as one string (the record reader's cache), the other as a new string per record (never the same
 * reference, so always the map); both give the same signals and state through five interleaved
 * models (more than the cache holds) and a restore.
 */
class RecentModelsTest {
    private static final String[] MODELS = {"m0", "m1", "m2", "m3", "m4"};
    private static final int PROFILE = 1_000;

    @Test
    void onlyTheVeryStringFindsItsState() {
        RecentModels<Integer> c = new RecentModels<>();
        String a = "alpha";
        String b = new String(a);
        assertThat(c.get(a)).isNull();
        assertThat(c.get(null)).isNull();
        c.put(a, 1);
        assertThat(c.get(a)).isEqualTo(1);
        assertThat(c.get(b)).isNull(); // equal, not the same: the caller's map answers
        for (int i = 0; i < RecentModels.SIZE - 1; i++) {
            c.put("other-" + i, 10 + i);
        }
        assertThat(c.get(a)).isEqualTo(1);
        c.put("one more", 99); // the oldest, a, goes
        assertThat(c.get(a)).isNull();
        assertThat(c.get("one more")).isEqualTo(99);
        c.clear();
        assertThat(c.get("one more")).isNull();
    }

    @Test
    void driftAnswersAsItsMapWouldAcrossInterleavedModelsAndARestore() {
        ProfileTracker profiles = new ProfileTracker(PROFILE, List.of());
        DriftDetector shared = new DriftDetector(profiles, 200, 100_000);
        DriftDetector copies = new DriftDetector(profiles, 200, 100_000);
        List<Signal> a = new ArrayList<>();
        List<Signal> b = new ArrayList<>();
        DriftDetectorTest.Traffic[] traffic = new DriftDetectorTest.Traffic[MODELS.length];
        for (int m = 0; m < MODELS.length; m++) {
            traffic[m] = new DriftDetectorTest.Traffic(100 + m);
        }
        Random random = new Random(5);
        int total = MODELS.length * PROFILE * 4;
        for (int i = 0; i < total; i++) {
            if (i == total / 2) {
                String state = shared.saveState();
                assertThat(copies.saveState()).isEqualTo(state);
                shared = new DriftDetector(profiles, 200, 100_000);
                shared.restoreState(state);
                copies = new DriftDetector(profiles, 200, 100_000);
                copies.restoreState(state);
                traffic[1].meanShift = 2;
                traffic[3].featureShift = 0.4;
            }
            // runs of one model and alternations of two to five
            int m = random.nextInt(10) < 3 ? i % 2 : random.nextInt(MODELS.length);
            InferenceRecord r = traffic[m].next(i);
            r.modelId = MODELS[m];
            profiles.onInference(r, i, s -> {});
            shared.onInference(r, i, a::add);
            r.modelId = new String(MODELS[m]); // equal, never the same
            copies.onInference(r, i, b::add);
        }
        assertThat(a).isNotEmpty();
        assertThat(describe(a)).isEqualTo(describe(b));
        assertThat(shared.saveState()).isEqualTo(copies.saveState());
    }

    @Test
    void operationalAnswersAsItsMapWouldAcrossInterleavedModelsAndARestore() {
        ProfileTracker profiles = new ProfileTracker(PROFILE, List.of());
        OperationalDetector shared = new OperationalDetector(profiles, 10_000);
        OperationalDetector copies = new OperationalDetector(profiles, 10_000);
        List<Signal> a = new ArrayList<>();
        List<Signal> b = new ArrayList<>();
        InferenceRecord record = TestTraffic.classified("m0", "c", 0, 0, 1, 0, 0.5, 1);
        Random random = new Random(8);
        long time = 1_700_000_000_000L;
        double slower = 1;
        double errors = 0.01;
        int total = MODELS.length * PROFILE * 4;
        for (int i = 0; i < total; i++) {
            if (i == total / 2) {
                String state = shared.saveState();
                assertThat(copies.saveState()).isEqualTo(state);
                shared = new OperationalDetector(profiles, 10_000);
                shared.restoreState(state);
                copies = new OperationalDetector(profiles, 10_000);
                copies.restoreState(state);
                slower = 1.6;
                errors = 0.2;
            }
            time += 120;
            int m = random.nextInt(10) < 3 ? i % 2 : random.nextInt(MODELS.length);
            double factor = m == 2 ? slower : 1;
            long latency = (long) (factor * 20_000 * Math.exp(0.3 * random.nextGaussian()));
            InferenceRecord r = TestTraffic.classifiedInto(record, 0.1, 0.3, 1, 0.9, latency);
            r.timestampMillis = time;
            r.outputCount = 1;
            if (random.nextDouble() < (m == 4 ? errors : 0.01)) {
                r.outcome = Outcome.ERROR;
                r.outputCount = 0;
            }
            r.modelId = MODELS[m];
            profiles.onInference(r, i, s -> {});
            shared.onInference(r, i, a::add);
            r.modelId = new String(MODELS[m]); // equal, never the same
            copies.onInference(r, i, b::add);
        }
        assertThat(a).isNotEmpty();
        assertThat(describe(a)).isEqualTo(describe(b));
        assertThat(shared.saveState()).isEqualTo(copies.saveState());
    }

    private static List<String> describe(List<Signal> signals) {
        List<String> out = new ArrayList<>();
        for (Signal s : signals) {
            out.add(s.model() + "/" + s.client() + "@" + s.recordIndex() + " " + s);
        }
        return out;
    }
}
