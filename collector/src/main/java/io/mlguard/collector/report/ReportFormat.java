package io.mlguard.collector.report;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Formatting shared by the HTML and Markdown reports. */
final class ReportFormat {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
                    .withZone(ZoneOffset.UTC);

    private static final DateTimeFormatter CLOCK =
            DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

    private ReportFormat() {}

    /** Time of day (UTC) for chart axes. */
    static String clock(long epochMillis) {
        return CLOCK.format(Instant.ofEpochMilli(epochMillis));
    }

    /** A bucket width such as "1 s", "16 s", "4.3 min", "2.1 h". */
    static String duration(long millis) {
        if (millis < 60_000) {
            return String.format(Locale.ROOT, "%.3g s", millis / 1000.0);
        }
        if (millis < 3_600_000) {
            return String.format(Locale.ROOT, "%.2g min", millis / 60_000.0);
        }
        return String.format(Locale.ROOT, "%.2g h", millis / 3_600_000.0);
    }

    static String time(long epochMillis) {
        return epochMillis <= 0 ? "-" : TIME.format(Instant.ofEpochMilli(epochMillis));
    }

    /** Shown in evidence tables and lists: numbers shortened, series cut to a few values. */
    static String value(Object v) {
        if (v instanceof Double) {
            return String.format(Locale.ROOT, "%.6g", (Double) v);
        }
        if (v instanceof java.util.List<?> list) {
            StringBuilder b = new StringBuilder("[");
            for (int k = 0; k < Math.min(list.size(), MAX_LISTED); k++) {
                b.append(k == 0 ? "" : ", ")
                        .append(
                                list.get(k) instanceof Double d
                                        ? String.format(Locale.ROOT, "%.3g", d)
                                        : String.valueOf(list.get(k)));
            }
            if (list.size() > MAX_LISTED) {
                b.append(", \u2026 ").append(list.size()).append(" values");
            }
            return b.append(']').toString();
        }
        return String.valueOf(v);
    }

    /** Values of a series shown in an evidence table; the charts and the JSON have them all. */
    static final int MAX_LISTED = 10;
}
