package io.mlguard.demo.traffic.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.mlguard.demo.data.CreditData;
import io.mlguard.demo.data.Dataset;
import io.mlguard.demo.data.MnistData;
import io.mlguard.demo.model.CreditModels;
import io.mlguard.demo.model.FeatureEncoding;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The drift sources move the statistics of their inputs the way they say. */
class DriftSourcesTest {
    static final Dataset DIGITS = MnistData.load().heldOut();
    static final int COUNT = 400;

    @TempDir Path models;

    @Test
    void rotationGrowsWithTheRequestNumber() {
        float[] digit = DIGITS.image(0);
        assertThat(DigitDrifts.rotated(digit, 0)).containsExactly(digit, within(1e-5f));
        double previous = 0;
        for (double degrees : new double[] {10, 25, 45, 60}) {
            double distance = l2(DigitDrifts.rotated(digit, degrees), digit);
            assertThat(distance).isGreaterThan(previous);
            previous = distance;
        }
        // a single bright pixel right of the centre lands below it after 90 degrees
        float[] dot = new float[784];
        dot[13 * 28 + 20] = 1f;
        float[] turned = DigitDrifts.rotated(dot, 90);
        assertThat(turned[20 * 28 + 14] + turned[20 * 28 + 13]).isGreaterThan(0.9f);

        DriftSource source = DigitDrifts.rotate(DIGITS);
        SplittableRandom random = new SplittableRandom(1);
        double early = 0;
        double late = 0;
        for (int i = 0; i < COUNT; i++) {
            float[] x = source.sample(i, COUNT, random).input();
            // rotation moves ink away from the vertical axis a digit is drawn along
            double spread = horizontalSpread(x);
            if (i < 50) {
                early += spread / 50;
            } else if (i >= COUNT - 50) {
                late += spread / 50;
            }
        }
        assertThat(late).isGreaterThan(early * 1.15);
        assertThat(source.model()).isEqualTo("mnist");
    }

    @Test
    void noiseGrowsWithTheRequestNumber() {
        DriftSource source = DigitDrifts.noise(DIGITS);
        SplittableRandom random = new SplittableRandom(2);
        double early = 0;
        double late = 0;
        for (int i = 0; i < COUNT; i++) {
            float[] x = source.sample(i, COUNT, random).input();
            double mean = 0;
            for (float p : x) {
                mean += p / 784.0;
            }
            if (i < 20) {
                early += mean / 20;
            } else if (i >= COUNT - 20) {
                late += mean / 20;
            }
        }
        // clipped at 0, noise of sigma s lifts the background by about 0.4 s: 0.2 at the end
        assertThat(late - early).isGreaterThan(0.1);
        assertThat(early).isLessThan(0.2);
    }

    @Test
    void classMixIsDominatedByOneDigit() {
        DriftSource source = DigitDrifts.classMix(DIGITS);
        SplittableRandom random = new SplittableRandom(3);
        int dominant = 0;
        for (int i = 0; i < COUNT; i++) {
            dominant +=
                    source.sample(i, COUNT, random).truth() == DigitDrifts.DOMINANT_DIGIT ? 1 : 0;
        }
        assertThat(dominant / (double) COUNT).isBetween(0.74, 0.86);
    }

    @Test
    void creditAmountsDoubleAndApplicantsGetYounger() throws Exception {
        CreditModels.Trained trained = CreditModels.train();
        Path file = CreditModels.write(models, trained);
        CreditFeatures features = CreditFeatures.read(file.resolveSibling("features.json"));
        CreditData data = CreditData.load();
        FeatureEncoding encoding = trained.model().encoding();
        // the client's encoding, built from features.json only, is the model's own
        for (double[] row : data.heldOut().rows()) {
            assertThat(features.encode(data.features(), row)).containsExactly(encoding.encode(row));
        }
        CreditDrift drift = new CreditDrift(features, data);
        int amount = drift.amountColumn();
        int age = drift.ageColumn();
        // the same random stream picks the same applicant: first and last request compared
        float[] first = drift.sample(0, COUNT, new SplittableRandom(4)).input();
        float[] last = drift.sample(COUNT - 1, COUNT, new SplittableRandom(4)).input();
        assertThat(last[amount]).isEqualTo(first[amount] * 2f, within(1e-3f));
        assertThat(last[age]).isEqualTo(Math.max(18f, first[age] - 10f));
        SplittableRandom random = new SplittableRandom(5);
        double earlyAmount = 0;
        double lateAmount = 0;
        double earlyAge = 0;
        double lateAge = 0;
        int quarter = COUNT / 4;
        for (int i = 0; i < COUNT; i++) {
            float[] x = drift.sample(i, COUNT, random).input();
            if (i < quarter) {
                earlyAmount += x[amount] / quarter;
                earlyAge += x[age] / quarter;
            } else if (i >= COUNT - quarter) {
                lateAmount += x[amount] / quarter;
                lateAge += x[age] / quarter;
            }
        }
        assertThat(lateAmount / earlyAmount).isGreaterThan(1.5);
        assertThat(earlyAge - lateAge).isGreaterThan(5);
        assertThat(drift.model()).isEqualTo("credit");
    }

    private static double l2(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return Math.sqrt(sum);
    }

    /** Ink-weighted standard deviation of the column index. */
    private static double horizontalSpread(float[] x) {
        double mass = 0;
        double mean = 0;
        for (int i = 0; i < x.length; i++) {
            mass += x[i];
            mean += x[i] * (i % 28);
        }
        mean /= mass;
        double var = 0;
        for (int i = 0; i < x.length; i++) {
            double d = i % 28 - mean;
            var += x[i] * d * d;
        }
        return Math.sqrt(var / mass);
    }
}
