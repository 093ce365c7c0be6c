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

class OperationalDetectorTest {
    private static final int PROFILE = 5_000;
    private final ProfileTracker profiles = new ProfileTracker(PROFILE, List.of());
    private final OperationalDetector ops = new OperationalDetector(profiles, 100_000);
    private final List<Signal> signals = new ArrayList<>();
    private final Random random = new Random(21);
    private final InferenceRecord record = TestTraffic.classified("m", "c", 0, 0, 1, 0, 0.5, 1);
    private long index;
    private long time = 1_700_000_000_000L;
    double latencyFactor = 1;
    double errorRate = 0.01;
    long gapMillis = 600; // 100 records a minute

    private void feed(long n) {
        for (long k = 0; k < n; k++, index++) {
            time += gapMillis;
            long latency = (long) (latencyFactor * 20_000 * Math.exp(0.3 * random.nextGaussian()));
            InferenceRecord r = TestTraffic.classifiedInto(record, 0.1, 0.3, 1, 0.9, latency);
            r.timestampMillis = time;
            r.outputCount = 1;
            if (random.nextDouble() < errorRate) {
                r.outcome = Outcome.ERROR;
                r.outputCount = 0;
            }
            profiles.onInference(r, index, signals::add);
            ops.onInference(r, index, signals::add);
        }
    }

    private List<Signal> reason(String reason) {
        return signals.stream().filter(s -> s.reason().equals(reason)).toList();
    }

    @Test
    void stationaryTrafficRaisesFalseAlarmsAtTheCalibratedRate() {
        feed(PROFILE + 1_000_000);
        System.out.println(
                "operational: false alarms over 1,000,000 records: latency "
                        + reason("latency_shift").size()
                        + ", errors "
                        + reason("error_rate_shift").size()
                        + ", throughput "
                        + (reason("throughput_spike").size() + reason("throughput_drop").size()));
        // ARL0 = 100,000 for each of latency, errors and throughput: ~10 each at most expected
        assertThat(reason("latency_shift")).hasSizeLessThanOrEqualTo(25);
        assertThat(reason("error_rate_shift")).hasSizeLessThanOrEqualTo(25);
        assertThat(reason("throughput_spike")).isEmpty();
        assertThat(reason("throughput_drop")).isEmpty();
    }

    @Test
    void slowerInferencesAreALatencyShift() {
        feed(PROFILE + 2_000);
        signals.clear();
        latencyFactor = 1.5;
        long start = index;
        feed(200);
        assertThat(reason("latency_shift")).isNotEmpty();
        assertThat(reason("latency_shift").get(0).recordIndex() - start).isLessThan(100);
        assertThat(reason("latency_shift").get(0).type()).isEqualTo(SignalType.OPERATIONAL);
    }

    @Test
    void moreErrorsAreAnErrorRateShift() {
        feed(PROFILE + 2_000);
        signals.clear();
        errorRate = 0.2;
        feed(200);
        assertThat(reason("error_rate_shift")).isNotEmpty();
        Signal s = reason("error_rate_shift").get(0);
        assertThat((long) s.evidence().get("errorsInBlock")).isGreaterThan(3);
        assertThat((double) s.evidence().get("referenceErrorRate")).isBetween(0.005, 0.02);
    }

    @Test
    void throughputSpikesAndDropsAgainstTheMovingBaseline() {
        feed(PROFILE + 3_000); // 80 minutes at 100 a minute
        signals.clear();
        gapMillis = 60; // 1,000 a minute
        feed(3_000);
        assertThat(reason("throughput_spike")).isNotEmpty();
        signals.clear();
        gapMillis = 600;
        feed(2_000); // back to normal, the baseline relearns nothing from the spike
        gapMillis = 30_000; // 2 a minute
        feed(20);
        assertThat(reason("throughput_drop")).isNotEmpty();
    }
}
