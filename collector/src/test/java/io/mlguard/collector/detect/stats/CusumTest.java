package io.mlguard.collector.detect.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class CusumTest {
    @Test
    void thresholdSolvesSiegmundsApproximation() {
        double h = Cusum.thresholdFor(0.5, 100_000);
        // by hand: one-sided ARL0 = 200,000 = (e^b - b - 1) / 0.5 with b = h + 1.166
        //   -> e^b ≈ 100,012.5 -> b ≈ 11.5131 -> h ≈ 10.347
        assertThat(h).isCloseTo(10.347, within(0.01));
        assertThat(Cusum.twoSidedArl(0.5, h, 0)).isCloseTo(100_000, within(1.0));
        // the textbook chart h = 4, k = 0.5 (Montgomery): two-sided ARL0 ≈ 168 by Siegmund
        assertThat(Cusum.twoSidedArl(0.5, 4, 0)).isCloseTo(168, within(2.0));
    }

    @Test
    void falseAlarmsOnStationaryDataMatchTheTargetRunLength() {
        // 1,000,000 standard-normal records, fixed seed; count alarms at two targets.
        assertThat(alarmsOverAMillion(10_000)).isBetween(60L, 160L); // expected ~100
        assertThat(alarmsOverAMillion(100_000)).isBetween(3L, 25L); // expected ~10
    }

    private static long alarmsOverAMillion(double arl0) {
        Random random = new Random(42);
        Cusum c = new Cusum(0.5, arl0);
        for (int i = 0; i < 1_000_000; i++) {
            c.add(random.nextGaussian());
        }
        assertThat(c.observations()).isEqualTo(1_000_000);
        System.out.println("cusum: ARL0 " + arl0 + " -> " + c.alarms() + " alarms in 1,000,000");
        return c.alarms();
    }

    @Test
    void aOneSigmaShiftIsCaughtQuickly() {
        Random random = new Random(5);
        int worst = 0;
        long total = 0;
        int runs = 200;
        for (int run = 0; run < runs; run++) {
            Cusum c = new Cusum(0.5, 100_000);
            for (int i = 0; i < 1000; i++) {
                c.add(random.nextGaussian()); // in control first
            }
            c = new Cusum(0.5, 100_000); // a fresh chart, so earlier alarms don't interfere
            int delay = 0;
            while (c.add(random.nextGaussian() + 1.0) == 0) {
                delay++;
            }
            worst = Math.max(worst, delay + 1);
            total += delay + 1;
        }
        System.out.println(
                "cusum: 1-sigma shift, mean delay " + (double) total / runs + ", worst " + worst);
        // Siegmund: ARL(1 sigma) ≈ 21 for h ≈ 10.35
        assertThat((double) total / runs).isBetween(15.0, 30.0);
        assertThat(worst).isLessThanOrEqualTo(80);
    }
}
