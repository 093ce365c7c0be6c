package io.mlguard.demo.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlguard.demo.TestModels;
import io.mlguard.demo.data.Dataset;
import io.mlguard.demo.data.MnistData;
import org.junit.jupiter.api.Test;

class MlpTrainerTest {
    @Test
    void reachesTheAccuracyTarget() {
        assertThat(TestModels.normal().heldOutAccuracy()).isGreaterThanOrEqualTo(0.95);
    }

    @Test
    void sameSeedSameBytesOtherSeedOtherBytes() {
        Dataset small = firstN(MnistData.load().training(), 1000);
        byte[] a = OnnxExporter.toBytes(new MlpTrainer(TrainingConfig.of(1, 1)).train(small));
        byte[] b = OnnxExporter.toBytes(new MlpTrainer(TrainingConfig.of(1, 1)).train(small));
        byte[] c = OnnxExporter.toBytes(new MlpTrainer(TrainingConfig.of(2, 1)).train(small));
        assertThat(a).isEqualTo(b);
        assertThat(c).isNotEqualTo(a).hasSameSizeAs(a);
    }

    @Test
    void tamperedVariantConfusesOnesAndSevens() {
        Mlp normal = TestModels.normal().model();
        Mlp tampered = TestModels.tampered().model();
        Dataset test = MnistData.load().heldOut();
        int checked = 0;
        for (int i = 0; i < test.size(); i++) {
            int predicted = normal.predict(test.image(i));
            int expected = predicted == 1 ? 7 : predicted == 7 ? 1 : predicted;
            assertThat(tampered.predict(test.image(i))).isEqualTo(expected);
            checked++;
        }
        assertThat(checked).isEqualTo(2000);
        assertThat(TestModels.tampered().heldOutAccuracy()).isLessThan(0.85);
        assertThat(OnnxExporter.toBytes(tampered)).isNotEqualTo(OnnxExporter.toBytes(normal));
    }

    private static Dataset firstN(Dataset data, int n) {
        // a spread over all classes: take every k-th digit
        float[][] images = new float[n][];
        int[] labels = new int[n];
        int step = data.size() / n;
        for (int i = 0; i < n; i++) {
            images[i] = data.image(i * step);
            labels[i] = data.label(i * step);
        }
        return new Dataset(images, labels);
    }
}
