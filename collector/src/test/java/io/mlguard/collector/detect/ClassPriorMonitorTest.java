package io.mlguard.collector.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlguard.collector.detect.stats.Divergences;
import io.mlguard.collector.profile.RecordStatistics;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ClassPriorMonitorTest {
    @Test
    void runningPsiIsExactlyTheComparisonsPsiAsTheWindowSlides() {
        Random random = new Random(3);
        long[] reference = new long[RecordStatistics.CLASS_BINS];
        for (int i = 0; i < 10; i++) {
            reference[i] = 100 + random.nextInt(900);
        }
        reference[63] = 1; // a bin the window rarely sees
        ClassPriorMonitor m = new ClassPriorMonitor(reference, 300);
        double[] expected = new double[reference.length];
        for (int i = 0; i < reference.length; i++) {
            expected[i] = reference[i];
        }
        int compared = 0;
        int shifted = 0;
        for (int i = 0; i < 5_000; i++) {
            // the mix drifts towards class 7 and then to classes never seen in the reference
            int bin =
                    i > 3_000 && random.nextInt(3) == 0
                            ? 20 + random.nextInt(3)
                            : i > 1_500 && random.nextBoolean() ? 7 : random.nextInt(10);
            m.add(bin);
            if (!m.windowFull() || i % 7 != 0) {
                continue;
            }
            double psi = m.psi();
            ClassPriorMonitor.Result r = m.compare();
            assertThat(Double.doubleToRawLongBits(psi))
                    .as("i=%d: %s against %s", i, psi, r.psi())
                    .isEqualTo(Double.doubleToRawLongBits(r.psi()));
            compared++;
            shifted += psi >= DriftDetector.PSI_SHIFT ? 1 : 0;
        }
        assertThat(compared).isGreaterThan(600);
        assertThat(shifted).as("windows past the PSI limit").isGreaterThan(100);
        assertThat(m.psi()).isEqualTo(Divergences.psi(expected, countsOf(m)));
    }

    /** The window's counts per bin, from its saved state. */
    private static double[] countsOf(ClassPriorMonitor m) {
        double[] counts = new double[RecordStatistics.CLASS_BINS];
        m.saveState().forEach(b -> counts[b.asInt()]++);
        return counts;
    }
}
