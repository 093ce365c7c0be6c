package io.mlguard.demo.data;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MnistDataTest {
    @Test
    void splitsTenThousandDigitsDeterministically() {
        MnistData data = MnistData.load();
        assertThat(data.training().size() + data.heldOut().size()).isEqualTo(10_000);
        assertThat(data.heldOut().size()).isEqualTo(2_000);
        assertThat(data.heldOut().classCounts()).containsOnly(MnistData.HELD_OUT_PER_CLASS);
        for (int n : data.training().classCounts()) {
            assertThat(n).isGreaterThan(600);
        }
        // the held-out set is the last 200 of each class file, in class order
        assertThat(data.heldOut().label(0)).isZero();
        assertThat(data.heldOut().label(1999)).isEqualTo(9);
    }

    @Test
    void pixelsAreNormalisedAndDigitsAreNotBlank() {
        Dataset test = MnistData.load().heldOut();
        for (int i = 0; i < test.size(); i++) {
            float[] image = test.image(i);
            assertThat(image).hasSize(MnistData.PIXELS);
            float sum = 0;
            for (float p : image) {
                assertThat(p).isBetween(0f, 1f);
                sum += p;
            }
            assertThat(sum).isGreaterThan(10f);
        }
    }
}
