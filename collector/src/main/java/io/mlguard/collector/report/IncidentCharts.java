package io.mlguard.collector.report;

import io.mlguard.collector.detect.SignalType;
import io.mlguard.collector.incident.Incident;
import io.mlguard.collector.incident.SignalTimeline;
import io.mlguard.collector.report.chart.Chart;
import io.mlguard.collector.report.chart.Series;
import io.mlguard.collector.report.chart.SvgChart;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The charts worth drawing for one incident, from its timeline and the chart data its detector put
 * in the evidence: reference against recent distribution (drift), near-duplicates per query (query
 * attacks), the distance histogram (extraction). Evidence that is missing or malformed gives no
 * chart, never an error: stored incidents may predate the chart data.
 */
public final class IncidentCharts {
    static final String REFERENCE = "#7f8c8d";
    static final String RECENT = "#e67e22";
    static final String ATTACK = "#c0392b";
    static final String SIGNALS = "#2c6fbb";

    /** Longest series read from evidence; detectors write far fewer. */
    static final int MAX_POINTS = 256;

    private IncidentCharts() {}

    public static List<Chart> of(Incident i) {
        List<Chart> charts = new ArrayList<>(3);
        charts.add(timeline(i.timeline()));
        Map<String, Object> ev = i.evidence();
        if (i.type() == SignalType.DATA_DRIFT || i.type() == SignalType.PREDICTION_DRIFT) {
            distribution(ev, charts);
        } else if (i.type() == SignalType.QUERY_ATTACK) {
            similarity(i, ev, charts);
        } else if (i.type() == SignalType.EXTRACTION) {
            distances(ev, charts);
        }
        return charts;
    }

    static Chart timeline(SignalTimeline t) {
        long[] counts = t.counts();
        double[] values = new double[counts.length];
        List<String> labels = new ArrayList<>(counts.length);
        for (int k = 0; k < counts.length; k++) {
            values[k] = counts[k];
            labels.add(ReportFormat.clock(t.startMillis() + k * t.bucketMillis()));
        }
        return Chart.bars(
                "Signals over time (" + ReportFormat.duration(t.bucketMillis()) + " buckets)",
                "record time (UTC)",
                "signals",
                labels,
                List.of(new Series("signals", SIGNALS, values)));
    }

    private static void distribution(Map<String, Object> ev, List<Chart> charts) {
        double[] edges = doubles(ev.get("binUpperEdges"));
        double[] ref = doubles(ev.get("referenceShares"));
        double[] recent = doubles(ev.get("recentShares"));
        if (edges == null || ref == null || recent == null) {
            return;
        }
        charts.add(
                Chart.bars(
                        "Distribution of "
                                + ev.getOrDefault("statistic", "the statistic")
                                + ": reference vs recent",
                        "bins (reference deciles)",
                        "share of values",
                        binLabels(edges),
                        List.of(
                                new Series("reference", REFERENCE, ref),
                                new Series("recent", RECENT, recent))));
    }

    private static void similarity(Incident i, Map<String, Object> ev, List<Chart> charts) {
        double[] times = doubles(ev.get("seriesTimesMillis"));
        double[] counts = doubles(ev.get("nearDuplicateSeries"));
        if (times == null || counts == null || times.length == 0) {
            return;
        }
        double[] seconds = new double[times.length];
        for (int k = 0; k < times.length; k++) {
            seconds[k] = (times[k] - times[0]) / 1000.0;
        }
        String client = i.clients().isEmpty() ? "(none)" : i.clients().get(i.clients().size() - 1);
        double threshold = ev.get("threshold") instanceof Number n ? n.doubleValue() : Double.NaN;
        charts.add(
                Chart.lines(
                        "Near-duplicates among earlier queries, client " + client,
                        "seconds since the first query shown",
                        "near-duplicates",
                        List.of(
                                ReportFormat.clock((long) times[0]),
                                ReportFormat.clock((long) times[times.length - 1])),
                        seconds,
                        List.of(new Series("near-duplicates per query", ATTACK, counts)),
                        threshold));
    }

    private static void distances(Map<String, Object> ev, List<Chart> charts) {
        double[] edges = doubles(ev.get("distanceBinUpperEdges"));
        double[] counts = doubles(ev.get("distanceCounts"));
        if (edges == null || counts == null) {
            return;
        }
        List<String> labels = new ArrayList<>(edges.length);
        for (double e : edges) {
            labels.add("\u2264" + SvgChart.label(e));
        }
        charts.add(
                Chart.bars(
                        "Distances between a client's successive queries",
                        "L2 distance to the nearest earlier query",
                        "queries",
                        labels,
                        List.of(new Series("queries", ATTACK, counts))));
    }

    /** "≤e0", "≤e1", ..., ">e_last": one label per bin of {@code (e_{i-1}, e_i]}. */
    static List<String> binLabels(double[] edges) {
        List<String> labels = new ArrayList<>(edges.length + 1);
        for (double e : edges) {
            labels.add("\u2264" + SvgChart.label(e));
        }
        labels.add(edges.length == 0 ? "all" : ">" + SvgChart.label(edges[edges.length - 1]));
        return labels;
    }

    /** A list of numbers from the evidence (nulls as NaN), or null if it is not one. */
    static double[] doubles(Object o) {
        if (!(o instanceof List<?> list) || list.size() > MAX_POINTS) {
            return null;
        }
        double[] out = new double[list.size()];
        for (int k = 0; k < out.length; k++) {
            Object v = list.get(k);
            if (v == null) {
                out[k] = Double.NaN;
            } else if (v instanceof Number n) {
                out[k] = n.doubleValue();
            } else {
                return null;
            }
        }
        return out;
    }
}
