package io.mlguard.collector.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlguard.collector.profile.QuantileSketch;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StatisticMonitorTest {
    private static final int WINDOW = 200;

    /** A reference with mass points (a saturated value), as confidences have. */
    private static QuantileSketch reference(Random random) {
        double[] values = new double[3000];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextDouble() < 0.3 ? 1.0 : random.nextGaussian();
        }
        return QuantileSketch.of(values, values.length, values.length);
    }

    /** Values that hit the edges themselves, the mass point, and drift away later. */
    private static double value(Random random, QuantileSketch ref, int i) {
        double shift = i > 1500 ? 0.8 : 0;
        switch (random.nextInt(4)) {
            case 0:
                return 1.0;
            case 1:
                return ref.quantile(random.nextInt(11) / 10.0); // exactly on an edge
            default:
                return random.nextGaussian() + shift;
        }
    }

    @Test
    void runningPsiIsExactlyTheSortedWindowsPsiAsTheWindowSlides() {
        Random random = new Random(7);
        QuantileSketch ref = reference(random);
        StatisticMonitor m = new StatisticMonitor("s", ref, WINDOW, 1e6);
        int compared = 0;
        for (int i = 0; i < 3000; i++) {
            m.add(value(random, ref, i));
            if (m.windowFull() && i % 37 == 0) {
                assertThat(m.psi()).isEqualTo(m.compare().psi());
                compared++;
            }
        }
        assertThat(compared).isGreaterThan(50);
        assertThat(m.psi()).isGreaterThan(0.1); // the shift shows: the check compared real PSIs
    }

    @Test
    void cachedPsiTermsGiveExactlyTheSortedWindowsPsiAfterEveryValue() {
        // psi() keeps each bin's term for its count: asked after every value (one or two bins
        // changed, or none when the value left and entered one bin), from a partial window (the
        // total changes) to a full one, it must still be the fresh computation's value
        Random random = new Random(23);
        QuantileSketch ref = reference(random);
        StatisticMonitor m = new StatisticMonitor("s", ref, WINDOW, 1e6);
        for (int i = 0; i < 2500; i++) {
            m.add(value(random, ref, i));
            assertThat(m.psi()).isEqualTo(m.compare().psi());
        }
        assertThat(m.psi()).isGreaterThan(0.1);
    }

    @Test
    void runningPsiSurvivesASaveAndRestore() {
        Random random = new Random(11);
        QuantileSketch ref = reference(random);
        StatisticMonitor m = new StatisticMonitor("s", ref, WINDOW, 1e6);
        for (int i = 0; i < 1700; i++) {
            m.add(value(random, ref, i));
        }
        StatisticMonitor back = new StatisticMonitor("s", ref, WINDOW, 1e6);
        back.restoreState(m.saveState());
        assertThat(back.psi()).isEqualTo(m.psi()).isEqualTo(m.compare().psi());
        for (int i = 1700; i < 1900; i++) {
            double v = value(random, ref, i);
            m.add(v);
            back.add(v);
            assertThat(back.psi()).isEqualTo(m.psi());
        }
        assertThat(back.psi()).isEqualTo(back.compare().psi());
    }
}
