package io.mlguard.collector.report.chart;

import java.util.List;

/**
 * What a report draws, independent of the format: grouped bars over named categories, or lines over
 * numeric x positions with an optional threshold. HTML draws it as SVG ({@link SvgChart}), Markdown
 * as a table; the JSON carries the same numbers in the incident's evidence and timeline.
 *
 * @param kind bars or lines
 * @param title a caption (may quote outside strings: escaped when drawn)
 * @param xLabel what the x axis is
 * @param yLabel what the y axis is
 * @param labels bars: one per category; lines: the labels of the first and last x
 * @param x lines: the x position of each point (ascending); bars: empty
 * @param series the values, one array per series
 * @param threshold a horizontal reference line, or NaN for none
 */
public record Chart(
        Kind kind,
        String title,
        String xLabel,
        String yLabel,
        List<String> labels,
        double[] x,
        List<Series> series,
        double threshold) {
    /** The two kinds of chart a report needs. */
    public enum Kind {
        BARS,
        LINES
    }

    public Chart {
        labels = List.copyOf(labels);
        x = x.clone();
        series = List.copyOf(series);
    }

    @Override
    public double[] x() {
        return x.clone();
    }

    public static Chart bars(
            String title, String xLabel, String yLabel, List<String> labels, List<Series> series) {
        return new Chart(
                Kind.BARS, title, xLabel, yLabel, labels, new double[0], series, Double.NaN);
    }

    public static Chart lines(
            String title,
            String xLabel,
            String yLabel,
            List<String> xEndLabels,
            double[] x,
            List<Series> series,
            double threshold) {
        return new Chart(Kind.LINES, title, xLabel, yLabel, xEndLabels, x, series, threshold);
    }
}
