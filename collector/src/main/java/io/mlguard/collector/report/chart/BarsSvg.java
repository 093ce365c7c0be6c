package io.mlguard.collector.report.chart;

import io.mlguard.collector.report.Html;
import java.util.List;

/** Grouped bars, one group per category and one bar per series, from zero. */
final class BarsSvg {
    /** At most this many category labels are written; the others are skipped evenly. */
    static final int MAX_LABELS = 12;

    private BarsSvg() {}

    static void draw(StringBuilder b, Chart c) {
        List<Series> series = c.series();
        int n = c.labels().size();
        double[][] values = new double[series.size()][];
        boolean any = false;
        for (int s = 0; s < series.size(); s++) {
            values[s] = series.get(s).values();
            n = Math.max(n, values[s].length);
            for (double v : values[s]) {
                any |= Double.isFinite(v);
            }
        }
        int bottom = SvgChart.TOP + SvgChart.plotHeight();
        Scale y = Scale.of(values, 0, bottom, SvgChart.TOP);
        SvgChart.yAxis(b, y);
        if (!any || n == 0) {
            SvgChart.noData(b);
            return;
        }
        double group = SvgChart.plotWidth() / (double) n;
        double bar = group * 0.8 / Math.max(1, series.size());
        double zero = y.px(0);
        for (int s = 0; s < series.size(); s++) {
            for (int i = 0; i < values[s].length; i++) {
                double v = values[s][i];
                if (!Double.isFinite(v)) {
                    continue; // a gap, not a broken chart
                }
                double top = Math.min(zero, y.px(v));
                double x = SvgChart.LEFT + i * group + group * 0.1 + s * bar;
                b.append("<rect class=\"bar\" x=\"")
                        .append(SvgChart.num(x))
                        .append("\" y=\"")
                        .append(SvgChart.num(top))
                        .append("\" width=\"")
                        .append(SvgChart.num(bar))
                        .append("\" height=\"")
                        .append(SvgChart.num(Math.abs(zero - y.px(v))))
                        .append("\" fill=\"")
                        .append(Html.escape(series.get(s).color()))
                        .append("\"><title>")
                        .append(Html.escape(tip(c, s, i, v)))
                        .append("</title></rect>");
            }
        }
        int longest = 1;
        for (String l : c.labels()) {
            longest = Math.max(longest, SvgChart.cut(l).length());
        }
        // As many labels as fit side by side, each with a gap, and never more than MAX_LABELS.
        int fit = (int) (SvgChart.plotWidth() / (longest * SvgChart.CHAR_WIDTH + 10));
        int shown = Math.max(1, Math.min(MAX_LABELS, fit));
        int step = (n + shown - 1) / shown;
        for (int i = 0; i < c.labels().size(); i += step) {
            SvgChart.text(
                    b,
                    SvgChart.LEFT + (i + 0.5) * group,
                    bottom + 14,
                    "middle",
                    SvgChart.cut(c.labels().get(i)));
        }
    }

    private static String tip(Chart c, int s, int i, double v) {
        String label = i < c.labels().size() ? c.labels().get(i) : Integer.toString(i);
        return c.series().get(s).name() + " " + label + ": " + SvgChart.label(v);
    }
}
