package io.mlguard.collector.report.chart;

/**
 * One named series of a chart. Values that are not finite are not drawn (a gap), never an error.
 *
 * @param name shown in the legend (escaped when drawn)
 * @param color a CSS colour chosen by mlguard, never from outside data
 * @param values one value per category or per x position
 */
public record Series(String name, String color, double[] values) {
    public Series {
        values = values.clone();
    }

    @Override
    public double[] values() {
        return values.clone();
    }
}
