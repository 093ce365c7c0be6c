package io.mlguard.collector.report;

import io.mlguard.collector.explain.Explanation;
import io.mlguard.collector.explain.ResponseAction;
import java.util.Locale;

/** An explanation as HTML: its text, technique, confidence, actions and where it came from. */
final class ExplanationHtml {
    private ExplanationHtml() {}

    static void append(StringBuilder b, Explanation x) {
        if (x == null) {
            b.append("<p class=\"muted\">Not explained yet.</p>");
            return;
        }
        b.append("<p>")
                .append(Html.escape(x.summary()))
                .append("</p><p><b>Likely cause:</b> ")
                .append(Html.escape(x.likelyCause()))
                .append("</p>");
        if (x.technique() != null) {
            b.append("<p><b>Technique:</b> ")
                    .append(Html.escape(x.technique().title()))
                    .append(" (MITRE ATLAS <code>")
                    .append(Html.escape(x.technique().id()))
                    .append("</code>)</p>");
        }
        b.append("<p><b>Recommended actions:</b></p><ol>");
        for (String a : x.recommendedActions()) {
            b.append("<li>").append(Html.escape(a)).append("</li>");
        }
        b.append("</ol>");
        if (!x.actions().isEmpty()) {
            b.append("<p class=\"muted\">Action codes:");
            for (ResponseAction a : x.actions()) {
                b.append(" <code>").append(Html.escape(a.wireName())).append("</code>");
            }
            b.append("</p>");
        }
        b.append("<p class=\"muted\">By <code>")
                .append(Html.escape(x.generatedBy()))
                .append("</code> (")
                .append(Html.escape(x.source()))
                .append("), confidence ")
                .append(String.format(Locale.ROOT, "%.2f", x.confidence()));
        if (!x.citedEvidence().isEmpty()) {
            b.append(", citing ").append(Html.escape(String.join(", ", x.citedEvidence())));
        }
        b.append("</p>");
        if (x.fallbackReason() != null) {
            b.append("<p class=\"fallback\"><b>LLM explanation not used:</b> ")
                    .append(Html.escape(x.fallbackReason()))
                    .append(". This is the deterministic explanation.</p>");
        }
    }
}
