package io.mlguard.collector.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlguard.collector.TestTraffic;
import io.mlguard.collector.profile.ProfileTracker;
import io.mlguard.protocol.InferenceRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DriftDetectorTest {
    private static final int PROFILE = 5_000;
    private static final String[] CLIENTS = {"c0", "c1", "c2", "c3", "c4"};

    /** Stationary traffic with skewed and discrete statistics, as real summaries are. */
    static final class Traffic {
        final Random random;
        double meanShift;
        double stdScale = 1;
        int favouredClass = -1;
        double featureShift;

        final InferenceRecord record = TestTraffic.classified("m", "c0", 0, 0, 1, 0, 0.5, 1);

        Traffic(long seed) {
            random = new Random(seed);
        }

        InferenceRecord next(long i) {
            double mean = 0.1 + 0.05 * -Math.log(1 - random.nextDouble()) + meanShift * 0.05;
            double std = Math.abs(0.3 + 0.05 * stdScale * random.nextGaussian());
            int cls =
                    favouredClass >= 0 && random.nextDouble() < 0.5
                            ? favouredClass
                            : random.nextInt(10);
            double conf =
                    random.nextDouble() < 0.4 ? 1.0 : 0.5 + 0.5 * Math.pow(random.nextDouble(), 2);
            long latency = (long) (20_000 * Math.exp(0.3 * random.nextGaussian()));
            InferenceRecord r = TestTraffic.classifiedInto(record, mean, std, cls, conf, latency);
            r.timestampMillis = i;
            r.clientId = CLIENTS[(int) (i % 5)];
            // three captured tabular features: a normal, a uniform and a two-valued one
            r.featureCount = 3;
            r.features[0] = (float) random.nextGaussian();
            r.features[1] = (float) (random.nextDouble() + featureShift);
            r.features[2] = random.nextBoolean() ? 1f : 0f;
            return r;
        }
    }

    private final List<Signal> signals = new ArrayList<>();
    private final ProfileTracker profiles = new ProfileTracker(PROFILE, List.of());
    private final DriftDetector drift = new DriftDetector(profiles, 500, 100_000);
    private long index;

    private void feed(Traffic t, long n) {
        for (long k = 0; k < n; k++, index++) {
            InferenceRecord r = t.next(index);
            profiles.onInference(r, index, signals::add);
            drift.onInference(r, index, signals::add);
        }
    }

    @Test
    void stationaryTrafficRaisesFalseAlarmsAtTheCalibratedRate() {
        Traffic t = new Traffic(11);
        feed(t, PROFILE);
        assertThat(profiles.profile("m")).isNotNull();
        feed(t, 1_000_000);
        System.out.println(
                "drift: false alarms over 1,000,000 stationary records: " + signals.size());
        // ARL0 = 100,000 records for the model as a whole: ~10 alarms expected in 1M records
        assertThat(signals).as(signals.toString()).hasSizeBetween(1, 30);
        assertThat(signals).allSatisfy(s -> assertThat(s.reason()).isEqualTo("cusum_shift"));
    }

    @Test
    void aOneSigmaShiftOfTheInputMeanIsCaughtWithinThreeHundredRecords() {
        Traffic t = new Traffic(12);
        feed(t, PROFILE + 2_000);
        signals.clear();
        t.meanShift = 1; // 0.05 = one standard deviation of the exponential part
        long start = index;
        feed(t, 300);
        signals.stream()
                .filter(s -> s.type() == SignalType.DATA_DRIFT)
                .findFirst()
                .ifPresent(
                        s ->
                                System.out.println(
                                        "drift: 1-sigma mean shift caught after "
                                                + (s.recordIndex() - start + 1)
                                                + " records"));
        assertThat(signals)
                .filteredOn(s -> s.type() == SignalType.DATA_DRIFT)
                .isNotEmpty()
                .first()
                .satisfies(
                        s -> {
                            assertThat(s.evidence().get("statistic"))
                                    .isIn("input.mean", "input.l2Norm");
                            assertThat(s.evidence().get("direction")).isEqualTo("up");
                            assertThat(s.recordIndex() - start).isLessThan(300);
                        });
    }

    @Test
    void aChangeOfSpreadIsSeenByTheWindowTests() {
        Traffic t = new Traffic(13);
        feed(t, PROFILE + 2_000);
        signals.clear();
        t.stdScale = 4;
        feed(t, 1_000);
        assertThat(signals)
                .filteredOn(s -> "input.std".equals(s.evidence().get("statistic")))
                .isNotEmpty();
        assertThat(signals)
                .filteredOn(s -> s.reason().equals("window_shift"))
                .first()
                .satisfies(
                        s -> {
                            assertThat((double) s.evidence().get("psi"))
                                    .isGreaterThanOrEqualTo(0.25);
                            assertThat((double) s.evidence().get("ksPValue")).isLessThan(1e-4);
                        });
    }

    @Test
    void driftSignalsCarryTheBinnedReferenceAndRecentDistributions() {
        Traffic t = new Traffic(13);
        feed(t, PROFILE + 2_000);
        signals.clear();
        t.stdScale = 4;
        feed(t, 1_000);
        assertThat(signals).isNotEmpty();
        for (Signal s :
                signals.stream().filter(x -> x.evidence().containsKey("statistic")).toList()) {
            List<?> edges = (List<?>) s.evidence().get("binUpperEdges");
            List<?> ref = (List<?>) s.evidence().get("referenceShares");
            List<?> recent = (List<?>) s.evidence().get("recentShares");
            assertThat(edges).as(s.toString()).isNotEmpty().hasSizeLessThanOrEqualTo(9);
            assertThat(ref).hasSize(edges.size() + 1);
            assertThat(recent).hasSize(edges.size() + 1);
            assertThat(sum(ref)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
            assertThat(sum(recent)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
            // chart data comes after the numbers a reader wants first
            assertThat(List.copyOf(s.evidence().keySet()).indexOf("binUpperEdges"))
                    .isEqualTo(s.evidence().size() - 3);
        }
        // a wider spread moves values out of the middle deciles into the outer bins
        Signal w =
                signals.stream()
                        .filter(s -> s.reason().equals("window_shift"))
                        .findFirst()
                        .orElseThrow();
        List<?> ref = (List<?>) w.evidence().get("referenceShares");
        List<?> recent = (List<?>) w.evidence().get("recentShares");
        int last = ref.size() - 1;
        assertThat((double) recent.get(0) + (double) recent.get(last))
                .isGreaterThan((double) ref.get(0) + (double) ref.get(last));
    }

    private static double sum(List<?> values) {
        return values.stream().mapToDouble(v -> (double) v).sum();
    }

    @Test
    void aShiftOfClassPriorsIsPredictionDrift() {
        Traffic t = new Traffic(14);
        feed(t, PROFILE + 1_000);
        signals.clear();
        t.favouredClass = 7;
        feed(t, 1_000);
        assertThat(signals)
                .filteredOn(s -> s.reason().equals("class_priors_shift"))
                .first()
                .satisfies(
                        s -> {
                            assertThat(s.type()).isEqualTo(SignalType.PREDICTION_DRIFT);
                            assertThat(s.evidence().get("mostChangedClass")).isEqualTo(7L);
                        });
    }

    @Test
    void aShiftedTabularFeatureIsDataDriftOnThatFeature() {
        Traffic t = new Traffic(15);
        feed(t, PROFILE + 1_000);
        assertThat(profiles.profile("m").statistic("feature.1")).isNotNull();
        signals.clear();
        t.featureShift = 0.3; // a uniform [0, 1) feature moves to [0.3, 1.3)
        feed(t, 300);
        assertThat(signals)
                .filteredOn(s -> "feature.1".equals(s.evidence().get("statistic")))
                .isNotEmpty()
                .allSatisfy(s -> assertThat(s.type()).isEqualTo(SignalType.DATA_DRIFT));
        assertThat(signals)
                .filteredOn(
                        s ->
                                "feature.0".equals(s.evidence().get("statistic"))
                                        || "feature.2".equals(s.evidence().get("statistic")))
                .isEmpty();
    }
}
