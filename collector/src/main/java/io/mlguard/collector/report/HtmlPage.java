package io.mlguard.collector.report;

/**
 * The frame shared by every HTML report page: a strict Content-Security-Policy (no script, nothing
 * loaded from anywhere, inline styles only), the style sheet, and the closing tags.
 */
final class HtmlPage {
    /** Also sent as an HTTP header by the API. */
    static final String CSP =
            "default-src 'none'; script-src 'none'; style-src 'unsafe-inline'; img-src 'none';"
                    + " base-uri 'none'; form-action 'none'";

    private static final String STYLE =
            "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:0;color:#222;"
                    + "background:#f6f7f9;line-height:1.4}"
                    + "main{max-width:1180px;margin:0 auto;padding:1.2em 1.5em}"
                    + "h1{font-size:1.5em;margin:.2em 0 .4em}h2{font-size:1.15em;margin:1.4em 0 .5em}"
                    + "section{background:#fff;border:1px solid #dde;border-radius:6px;"
                    + "padding:.8em 1.1em;margin:0 0 1em}"
                    + "table{border-collapse:collapse;width:100%;background:#fff}"
                    + "th,td{border:1px solid #d5d8de;padding:.35em .5em;vertical-align:top;"
                    + "text-align:left}th{background:#eef0f4}"
                    + "td.num{text-align:right;font-variant-numeric:tabular-nums}"
                    + "td.time{white-space:nowrap;font-size:.9em}.stats{font-size:.9em}"
                    + ".sev{font-weight:bold;text-transform:uppercase;font-size:.85em}"
                    + ".critical{background:#f8d0d0}.high{background:#fde3c8}"
                    + ".medium{background:#fff5c0}.low{background:#e6f2e6}"
                    + "dl.facts{display:grid;grid-template-columns:max-content 1fr;"
                    + "gap:.25em 1em;margin:0}dl.facts dt{font-weight:bold;color:#555}"
                    + "dl.facts dd{margin:0}"
                    + "code{word-break:break-all;font-size:.92em}"
                    + ".stats,.muted{color:#666}.fallback{background:#fff5c0;padding:.4em .6em;"
                    + "border-left:4px solid #e0b000}"
                    + ".charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(460px,1fr));"
                    + "gap:1em}figure{margin:0}figcaption{font-weight:bold;margin-bottom:.3em;"
                    + "word-break:break-all}"
                    + "svg.chart{width:100%;height:auto;background:#fff;border:1px solid #e3e5ea}"
                    + "svg.chart text{font-size:11px;fill:#333}"
                    + "a{color:#1a5fb4}";

    private HtmlPage() {}

    static void open(StringBuilder b, String title) {
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"")
                .append(CSP)
                .append("\"><meta name=\"referrer\" content=\"no-referrer\">")
                .append("<meta name=\"viewport\" content=\"width=device-width\"><title>")
                .append(Html.escape(title))
                .append("</title><style>")
                .append(STYLE)
                .append("</style></head><body><main>\n");
    }

    static String close(StringBuilder b) {
        return b.append("</main></body></html>\n").toString();
    }

    static void severity(StringBuilder b, String tag, String wireName) {
        // Severity wire names come from mlguard's own enum, but escape anyway: cheap and uniform.
        String sev = Html.escape(wireName);
        b.append('<')
                .append(tag)
                .append(" class=\"sev ")
                .append(sev)
                .append("\">")
                .append(sev)
                .append("</")
                .append(tag)
                .append('>');
    }
}
