package io.mlguard.collector.explain;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Helpers of the deterministic templates: short, one-line, quoted outside strings. */
final class ExplanationText {
    private static final int MAX_LISTED_EVIDENCE = 8;

    private ExplanationText() {}

    static Explanation build(
            IncidentFacts f,
            String summary,
            String cause,
            List<String> recommended,
            AtlasTechnique technique,
            double confidence,
            List<ResponseAction> actions,
            List<String> cited) {
        return new Explanation(
                summary,
                cause,
                recommended,
                DeterministicExplainer.NAME,
                Explanation.SOURCE_DETERMINISTIC,
                technique,
                f.severity(),
                confidence,
                actions,
                cited,
                null);
    }

    /** The given keys that the incident's evidence really has, in the given order. */
    static List<String> present(IncidentFacts f, String... keys) {
        List<String> out = new ArrayList<>();
        for (String k : keys) {
            if (f.evidence().containsKey(k)) {
                out.add(k);
            }
        }
        return out;
    }

    /** ", evidence: a=1, b=2" for the first few evidence entries, or "" when there are none. */
    static String evidenceList(IncidentFacts f) {
        if (f.evidence().isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder(" (evidence: ");
        int n = 0;
        for (Map.Entry<String, Object> e : f.evidence().entrySet()) {
            if (e.getValue() instanceof java.util.Collection) {
                continue; // chart data: the report draws it, a sentence cannot
            }
            if (n++ == MAX_LISTED_EVIDENCE) {
                sb.append(", ...");
                break;
            }
            sb.append(n == 1 ? "" : ", ")
                    .append(name(e.getKey()))
                    .append(" = ")
                    .append(
                            e.getValue() instanceof Number
                                    ? number(e.getValue())
                                    : name(e.getValue()));
        }
        return sb.append(')').toString();
    }

    static String clients(IncidentFacts f) {
        long n = f.clientCount();
        return n == 0 ? "no identified client" : plural(n, "client");
    }

    static String plural(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    /** Quotes an outside string, cut to 80 characters, with control characters replaced. */
    static String name(Object o) {
        if (o == null) {
            return "\"(none)\"";
        }
        String s = o.toString().replaceAll("\\p{Cntrl}", "?");
        return "\"" + (s.length() > 80 ? s.substring(0, 80) + "..." : s) + "\"";
    }

    static String number(Object o) {
        if (o instanceof Double || o instanceof Float) {
            return String.format(Locale.ROOT, "%.6g", ((Number) o).doubleValue());
        }
        return String.valueOf(o);
    }

    /** A number from the evidence, or {@code null} when absent or not a number. */
    static Double value(IncidentFacts f, String key) {
        Object o = f.evidence().get(key);
        return o instanceof Number ? ((Number) o).doubleValue() : null;
    }
}
