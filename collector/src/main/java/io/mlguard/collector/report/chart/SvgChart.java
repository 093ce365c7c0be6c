package io.mlguard.collector.report.chart;

import io.mlguard.collector.report.Html;
import java.util.List;
import java.util.Locale;

/**
 * Draws a {@link Chart} as inline SVG for the HTML reports: no script, no external reference, every
 * text (title, labels, legend) escaped, and coordinates always finite, so hostile strings or NaN
 * data cannot break the page. A fixed 600 × 240 view box that scales with the page.
 */
public final class SvgChart {
    static final int WIDTH = 600;
    static final int HEIGHT = 240;
    static final int LEFT = 56;
    static final int RIGHT = 16;
    static final int TOP = 28;
    static final int BOTTOM = 44;

    /** Labels longer than this are cut: an axis is no place for a long outside string. */
    static final int MAX_LABEL = 16;

    static final int LEGEND = 40;

    /** Pixels per character of an 11px label, generously: labels must not overlap. */
    static final double CHAR_WIDTH = 7;

    private SvgChart() {}

    public static String render(Chart c) {
        StringBuilder b = new StringBuilder(2048);
        b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 ")
                .append(WIDTH)
                .append(' ')
                .append(HEIGHT)
                .append("\" role=\"img\" aria-label=\"")
                .append(Html.escape(c.title()))
                .append("\"><title>")
                .append(Html.escape(c.title()))
                .append("</title>");
        legend(b, c.series());
        if (c.kind() == Chart.Kind.BARS) {
            BarsSvg.draw(b, c);
        } else {
            LinesSvg.draw(b, c);
        }
        text(b, LEFT + plotWidth() / 2.0, HEIGHT - 4, "middle", c.xLabel());
        b.append("<text x=\"12\" y=\"")
                .append(num(TOP + plotHeight() / 2.0))
                .append("\" text-anchor=\"middle\" transform=\"rotate(-90 12 ")
                .append(num(TOP + plotHeight() / 2.0))
                .append(")\">")
                .append(Html.escape(c.yLabel()))
                .append("</text>");
        return b.append("</svg>").toString();
    }

    static int plotWidth() {
        return WIDTH - LEFT - RIGHT;
    }

    static int plotHeight() {
        return HEIGHT - TOP - BOTTOM;
    }

    private static void legend(StringBuilder b, List<Series> series) {
        double x = LEFT;
        for (Series s : series) {
            b.append("<rect x=\"")
                    .append(num(x))
                    .append("\" y=\"8\" width=\"12\" height=\"12\" fill=\"")
                    .append(Html.escape(s.color()))
                    .append("\"/>");
            // Series names are mlguard's own words, but may one day quote outside text: cut them
            // too.
            String name = s.name().length() > LEGEND ? s.name().substring(0, LEGEND) : s.name();
            text(b, x + 16, 18, "start", name);
            x += 16 + 7 * name.length() + 16;
        }
    }

    /** The y axis: gridlines and labels at the bottom, middle and top of the scale. */
    static void yAxis(StringBuilder b, Scale y) {
        for (int i = 0; i <= 2; i++) {
            double v = y.at(i / 2.0);
            double py = y.px(v);
            b.append("<line class=\"grid\" x1=\"")
                    .append(LEFT)
                    .append("\" x2=\"")
                    .append(WIDTH - RIGHT)
                    .append("\" y1=\"")
                    .append(num(py))
                    .append("\" y2=\"")
                    .append(num(py))
                    .append("\" stroke=\"#ddd\"/>");
            text(b, LEFT - 4, py + 4, "end", label(v));
        }
        b.append("<line x1=\"")
                .append(LEFT)
                .append("\" x2=\"")
                .append(LEFT)
                .append("\" y1=\"")
                .append(TOP)
                .append("\" y2=\"")
                .append(TOP + plotHeight())
                .append("\" stroke=\"#888\"/>");
    }

    static void noData(StringBuilder b) {
        text(b, LEFT + plotWidth() / 2.0, TOP + plotHeight() / 2.0, "middle", "no data");
    }

    /** An escaped text element. */
    static void text(StringBuilder b, double x, double y, String anchor, String s) {
        b.append("<text x=\"")
                .append(num(x))
                .append("\" y=\"")
                .append(num(y))
                .append("\" text-anchor=\"")
                .append(anchor)
                .append("\">")
                .append(Html.escape(s))
                .append("</text>");
    }

    /** An outside label cut to {@link #MAX_LABEL} characters (escaping comes after). */
    static String cut(String s) {
        if (s == null) {
            return "";
        }
        return s.length() > MAX_LABEL ? s.substring(0, MAX_LABEL - 1) + "\u2026" : s;
    }

    /** A coordinate with one decimal; callers only pass finite values (see {@link Scale}). */
    static String num(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    /** A tick value, short: integers as such, others with three significant digits. */
    public static String label(double v) {
        if (!Double.isFinite(v)) {
            return String.valueOf(v);
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e7) {
            return Long.toString((long) v);
        }
        String s = String.format(Locale.ROOT, "%.3g", v);
        // 0.500 reads as 0.5; keep exponents (1.00e+06) as they are.
        return s.contains(".") && !s.contains("e") ? s.replaceAll("\\.?0+$", "") : s;
    }
}
