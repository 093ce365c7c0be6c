package io.mlguard.collector.incident;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SignalTimelineTest {
    private static final long T0 = 1_700_000_000_000L;

    @Test
    void countsSignalsPerSecondWhileTheyFit() {
        SignalTimeline t = SignalTimeline.of(T0).with(T0 + 400).with(T0 + 2_500);
        assertThat(t.bucketMillis()).isEqualTo(1_000);
        assertThat(t.counts()).containsExactly(2, 0, 1);
    }

    @Test
    void widensBucketsInsteadOfGrowingPastTheBound() {
        SignalTimeline t = SignalTimeline.of(T0);
        for (int s = 1; s <= 10_000; s++) {
            t = t.with(T0 + s * 1_000L);
        }
        assertThat(t.counts().length).isLessThanOrEqualTo(SignalTimeline.MAX_BUCKETS);
        assertThat(Arrays.stream(t.counts()).sum()).isEqualTo(10_001);
        // 10,000 s in at most 48 buckets: 256 s each (the first power of two that fits)
        assertThat(t.bucketMillis()).isEqualTo(256_000);
        assertThat(t.counts()[0]).isEqualTo(256);
    }

    @Test
    void aLateSignalFarAheadCollapsesEarlierBuckets() {
        SignalTimeline t = SignalTimeline.of(T0).with(T0 + 1_000).with(T0 + 3_600_000);
        assertThat(Arrays.stream(t.counts()).sum()).isEqualTo(3);
        assertThat(t.counts()[0]).isEqualTo(2);
        assertThat((t.counts().length - 1) * t.bucketMillis()).isLessThanOrEqualTo(3_600_000);
        assertThat(t.counts().length * t.bucketMillis()).isGreaterThan(3_600_000);
    }

    @Test
    void anOutOfOrderSignalCountsInTheFirstBucket() {
        SignalTimeline t = SignalTimeline.of(T0).with(T0 - 5_000);
        assertThat(t.startMillis()).isEqualTo(T0);
        assertThat(t.counts()).containsExactly(2);
    }

    @Test
    void restoreRefusesWhatCannotBeATimeline() {
        assertThatThrownBy(() -> SignalTimeline.restore(T0, 0, new long[] {1}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SignalTimeline.restore(T0, 1_000, new long[0]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SignalTimeline.restore(T0, 1_000, new long[49]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SignalTimeline.restore(T0, 1_000, new long[] {-1}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(SignalTimeline.restore(T0, 2_000, new long[] {1, 2}).counts())
                .containsExactly(1, 2);
    }
}
