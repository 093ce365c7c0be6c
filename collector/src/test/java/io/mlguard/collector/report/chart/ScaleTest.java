package io.mlguard.collector.report.chart;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ScaleTest {
    @Test
    void mapsTheFiniteRangeOntoThePixels() {
        Scale s = Scale.of(new double[][] {{2, Double.NaN, 6}}, Double.NaN, 100, 0);
        assertThat(s.px(2)).isEqualTo(100);
        assertThat(s.px(6)).isEqualTo(0);
        assertThat(s.px(4)).isEqualTo(50);
    }

    @Test
    void includesAFixedValueSuchAsZero() {
        Scale s = Scale.of(new double[][] {{5, 10}}, 0, 0, 100);
        assertThat(s.min()).isZero();
        assertThat(s.px(5)).isEqualTo(50);
    }

    @Test
    void noDataOrOneValueNeverDividesByZero() {
        assertThat(Scale.of(new double[][] {{}}, Double.NaN, 0, 10).px(0.5)).isEqualTo(5);
        Scale one = Scale.of(new double[][] {{3, 3}}, Double.NaN, 0, 10);
        assertThat(one.px(3)).isZero();
        assertThat(Double.isFinite(one.px(100))).isTrue();
        assertThat(one.px(100)).isEqualTo(10); // clamped to the plot
    }
}
