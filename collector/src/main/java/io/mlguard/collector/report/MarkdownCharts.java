package io.mlguard.collector.report;

import io.mlguard.collector.report.chart.Chart;
import io.mlguard.collector.report.chart.Series;
import io.mlguard.collector.report.chart.SvgChart;
import java.util.List;

/**
 * The numbers behind an incident's charts, for Markdown: a table when there are few categories, one
 * line of values otherwise. Labels are escaped like every outside string.
 */
final class MarkdownCharts {
    /** Categories up to which a table is clearer than a line. */
    static final int TABLE_ROWS = 12;

    private MarkdownCharts() {}

    static void append(StringBuilder b, List<Chart> charts) {
        for (Chart c : charts) {
            b.append("\n**").append(MarkdownReport.escape(c.title())).append("**\n");
            if (c.kind() == Chart.Kind.BARS && c.labels().size() <= TABLE_ROWS) {
                table(b, c);
            } else {
                lines(b, c);
            }
        }
    }

    private static void table(StringBuilder b, Chart c) {
        b.append("\n| ").append(MarkdownReport.escape(c.xLabel()));
        for (Series s : c.series()) {
            b.append(" | ").append(MarkdownReport.escape(s.name()));
        }
        b.append(" |\n|---");
        c.series().forEach(s -> b.append("|---:"));
        b.append("|\n");
        for (int k = 0; k < c.labels().size(); k++) {
            b.append("| ").append(MarkdownReport.escape(c.labels().get(k)));
            for (Series s : c.series()) {
                double[] v = s.values();
                b.append(" | ").append(k < v.length ? SvgChart.label(v[k]) : "");
            }
            b.append(" |\n");
        }
    }

    private static void lines(StringBuilder b, Chart c) {
        for (Series s : c.series()) {
            double[] v = s.values();
            b.append("\n- ").append(MarkdownReport.escape(s.name()));
            if (!c.labels().isEmpty()) {
                b.append(" (")
                        .append(MarkdownReport.escape(c.labels().get(0)))
                        .append(" to ")
                        .append(MarkdownReport.escape(c.labels().get(c.labels().size() - 1)))
                        .append(")");
            }
            b.append(":");
            for (int k = 0; k < v.length; k++) {
                b.append(k == 0 ? " " : ", ").append(SvgChart.label(v[k]));
            }
        }
        if (Double.isFinite(c.threshold())) {
            b.append("\n- threshold: ").append(SvgChart.label(c.threshold()));
        }
        b.append('\n');
    }
}
