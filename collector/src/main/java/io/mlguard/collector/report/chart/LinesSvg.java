package io.mlguard.collector.report.chart;

import io.mlguard.collector.report.Html;
import java.util.List;

/**
 * Lines over numeric x positions, broken where a value is not finite, with a dot per point when
 * there are few and an optional dashed threshold.
 */
final class LinesSvg {
    static final int MAX_DOTS = 80;

    private LinesSvg() {}

    static void draw(StringBuilder b, Chart c) {
        List<Series> series = c.series();
        double[] xs = c.x();
        double[][] values = new double[series.size() + 1][];
        boolean any = false;
        for (int s = 0; s < series.size(); s++) {
            values[s] = series.get(s).values();
            for (int i = 0; i < Math.min(xs.length, values[s].length); i++) {
                any |= Double.isFinite(values[s][i]) && Double.isFinite(xs[i]);
            }
        }
        values[series.size()] = new double[] {c.threshold()};
        int bottom = SvgChart.TOP + SvgChart.plotHeight();
        Scale y = Scale.of(values, 0, bottom, SvgChart.TOP);
        Scale x = Scale.of(new double[][] {xs}, Double.NaN, SvgChart.LEFT, SvgChart.LEFT + width());
        SvgChart.yAxis(b, y);
        if (Double.isFinite(c.threshold())) {
            double py = y.px(c.threshold());
            b.append("<line class=\"threshold\" x1=\"")
                    .append(SvgChart.LEFT)
                    .append("\" x2=\"")
                    .append(SvgChart.LEFT + width())
                    .append("\" y1=\"")
                    .append(SvgChart.num(py))
                    .append("\" y2=\"")
                    .append(SvgChart.num(py))
                    .append("\" stroke=\"#c0392b\" stroke-dasharray=\"6 4\"/>");
            SvgChart.text(
                    b,
                    SvgChart.LEFT + width() - 2,
                    py - 4,
                    "end",
                    "threshold " + SvgChart.label(c.threshold()));
        }
        if (!any) {
            SvgChart.noData(b);
            return;
        }
        for (int s = 0; s < series.size(); s++) {
            path(b, xs, values[s], x, y, series.get(s).color());
        }
        if (!c.labels().isEmpty()) {
            SvgChart.text(b, SvgChart.LEFT, bottom + 14, "start", c.labels().get(0));
            SvgChart.text(
                    b,
                    SvgChart.LEFT + width(),
                    bottom + 14,
                    "end",
                    c.labels().get(c.labels().size() - 1));
        }
    }

    private static int width() {
        return SvgChart.plotWidth();
    }

    private static void path(
            StringBuilder b, double[] xs, double[] ys, Scale x, Scale y, String color) {
        StringBuilder d = new StringBuilder();
        StringBuilder dots = new StringBuilder();
        boolean pen = false;
        int n = Math.min(xs.length, ys.length);
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(xs[i]) || !Double.isFinite(ys[i])) {
                pen = false; // break the line at a missing value
                continue;
            }
            String px = SvgChart.num(x.px(xs[i]));
            String py = SvgChart.num(y.px(ys[i]));
            d.append(pen ? " L" : (d.length() == 0 ? "M" : " M")).append(px).append(' ').append(py);
            pen = true;
            if (n <= MAX_DOTS) {
                dots.append("<circle cx=\"")
                        .append(px)
                        .append("\" cy=\"")
                        .append(py)
                        .append("\" r=\"2.5\" fill=\"")
                        .append(Html.escape(color))
                        .append("\"/>");
            }
        }
        if (d.length() > 0) {
            b.append("<path class=\"line\" fill=\"none\" stroke-width=\"2\" stroke=\"")
                    .append(Html.escape(color))
                    .append("\" d=\"")
                    .append(d)
                    .append("\"/>")
                    .append(dots);
        }
    }
}
