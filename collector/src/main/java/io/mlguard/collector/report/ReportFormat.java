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

    private ReportFormat() {}

    static String time(long epochMillis) {
        return epochMillis <= 0 ? "-" : TIME.format(Instant.ofEpochMilli(epochMillis));
    }

    static String value(Object v) {
        if (v instanceof Double) {
            return String.format(Locale.ROOT, "%.6g", (Double) v);
        }
        return String.valueOf(v);
    }
}
