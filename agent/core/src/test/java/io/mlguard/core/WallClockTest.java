package io.mlguard.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Record timestamps from the clock reading the agent takes anyway, anchored once a second. */
class WallClockTest {
    @Test
    void aReadingIsTheWallClockOfItsMoment() {
        WallClock clock = new WallClock();
        long before = System.currentTimeMillis();
        long at = System.nanoTime();
        long after = System.currentTimeMillis();
        // the anchor's own two readings are apart by the call between them: a millisecond either
        // way
        assertThat(clock.millisAt(at)).isBetween(before - 1, after + 1);
        // a reading from before the anchor, as an inference's start always is
        assertThat(clock.millisAt(at - 250_000_000L)).isBetween(before - 251, after - 249);
    }

    @Test
    void theWallClockIsReadAgainOnceASecondHasPassed() {
        AtomicLong wall = new AtomicLong(1_000_000);
        AtomicLong reads = new AtomicLong();
        WallClock clock =
                new WallClock(
                        () -> {
                            reads.incrementAndGet();
                            return wall.get();
                        });
        long t0 = System.nanoTime();
        long first = clock.millisAt(t0);
        // the anchor is read just after t0 (milliseconds on a slow machine)
        assertThat(first).isBetween(999_950L, 1_000_000L);
        wall.set(5_000_000); // the clock is set meanwhile
        assertThat(clock.millisAt(t0 + 400_000_000L)).isBetween(1_000_350L, 1_000_400L);
        assertThat(clock.millisAt(t0 - 400_000_000L)).isBetween(999_550L, 999_600L);
        assertThat(reads.get()).as("within a second of the anchor").isEqualTo(1);
        // later than a second after the anchor: the wall clock is read again
        long later = clock.millisAt(t0 + 2 * WallClock.ANCHOR_NANOS);
        assertThat(reads.get()).isEqualTo(2);
        assertThat(later).as("the new reading, 2 s after t0").isBetween(5_001_900L, 5_002_000L);
        // as far before it
        clock.millisAt(t0 - 3 * WallClock.ANCHOR_NANOS);
        assertThat(reads.get()).isEqualTo(3);
    }
}
