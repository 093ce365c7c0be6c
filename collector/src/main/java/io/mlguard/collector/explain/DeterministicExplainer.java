package io.mlguard.collector.explain;

import io.mlguard.collector.incident.Incident;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes explanations from templates and the incident's evidence: always available, instant and
 * reproducible. Client identities are never quoted (only counted), and the model id and input names
 * are cut and stripped of control characters; renderers still escape everything.
 */
public final class DeterministicExplainer implements Explainer {
    public static final String NAME = "deterministic";

    @Override
    public Explanation explain(Incident incident) {
        switch (incident.type()) {
            case INVALID_INPUT:
                return invalidInput(incident);
            case MODEL_SUBSTITUTION:
                return modelSubstitution(incident);
            default:
                return new Explanation(
                        incident.count() + " signals of type " + incident.type().wireName(),
                        "No explanation template exists for this incident type yet.",
                        List.of("Review the evidence of this incident."),
                        NAME);
        }
    }

    private static Explanation invalidInput(Incident i) {
        Map<String, Object> ev = i.evidence();
        long nan = i.reasons().getOrDefault("nan_or_inf", 0L);
        long range = i.reasons().getOrDefault("out_of_range", 0L);
        String input = Text.name(ev.get("input"));
        StringBuilder summary = new StringBuilder();
        summary.append(plural(i.count(), "request"))
                .append(" to model ")
                .append(Text.name(i.model()))
                .append(" from ")
                .append(clients(i))
                .append(" carried invalid input");
        List<String> parts = new ArrayList<>();
        if (nan > 0) {
            parts.add(nan + " with NaN or infinite values");
        }
        if (range > 0) {
            parts.add(
                    range
                            + " outside the range seen in the reference window (latest: input "
                            + input
                            + " spans ["
                            + Text.number(ev.get("observedMin"))
                            + ", "
                            + Text.number(ev.get("observedMax"))
                            + "], reference ["
                            + Text.number(ev.get("referenceMin"))
                            + ", "
                            + Text.number(ev.get("referenceMax"))
                            + "])");
        }
        summary.append(": ").append(String.join("; ", parts)).append('.');

        String cause =
                nan > 0
                        ? "NaN or infinite values do not occur in real data: either the client's"
                                + " preprocessing is broken (division by zero, a failed parse), or"
                                + " someone is probing how the model and its error handling cope"
                                + " with poisoned numbers."
                        : "Values far outside what the model saw in its reference window: an"
                                + " evasion or probing attempt, a client that sends unnormalised"
                                + " data (wrong scaling, wrong units), or an upstream data change.";
        List<String> actions = new ArrayList<>();
        actions.add(
                "Validate inputs at the API boundary: reject NaN/Inf"
                        + (range > 0
                                ? " and values of input "
                                        + input
                                        + " outside ["
                                        + Text.number(ev.get("allowedMin"))
                                        + ", "
                                        + Text.number(ev.get("allowedMax"))
                                        + "]"
                                : "")
                        + " before they reach the model.");
        actions.add(
                "Look at this client's recent requests; if it is not a known integration with a"
                        + " bug, throttle or block it.");
        actions.add(
                "If other clients show the same incident, suspect an upstream pipeline or"
                        + " preprocessing change rather than an attack.");
        return new Explanation(summary.toString(), cause, actions, NAME);
    }

    private static Explanation modelSubstitution(Incident i) {
        Map<String, Object> ev = i.evidence();
        String expected = Text.name(ev.getOrDefault("expectedHashPrefix", "unknown"));
        String observed = Text.name(ev.get("observedHashPrefix"));
        boolean allowList = i.reasons().keySet().stream().anyMatch(r -> r.contains("allow_list"));
        String summary =
                "Model "
                        + Text.name(i.model())
                        + " is running with bytes whose SHA-256 starts with "
                        + observed
                        + (allowList
                                ? ", which is not in the allow-list"
                                : ", but it was first loaded with " + expected)
                        + (ev.containsKey("sizeBytes")
                                ? " (loaded from "
                                        + Text.name(ev.get("source"))
                                        + ", "
                                        + ev.get("sizeBytes")
                                        + " bytes)"
                                : "")
                        + "; "
                        + plural(i.count(), "signal")
                        + " affecting "
                        + clients(i)
                        + ".";
        String cause =
                "The model file was replaced: tampering with the model directory or artifact store"
                        + " (a backdoored or poisoned model), a supply-chain compromise, or an"
                        + " unannounced deployment that skipped the release process.";
        List<String> actions = new ArrayList<>();
        actions.add(
                "Stop serving model "
                        + Text.name(i.model())
                        + " or roll back to the known-good artifact"
                        + (allowList ? " listed in the allow-list." : " (hash " + expected + ")."));
        actions.add(
                "Compare the file on disk with the artifact in your registry (sha256sum) and find"
                        + " out who or what wrote it.");
        actions.add(
                "If this is a legitimate new version, add its hash to the allow-list"
                        + " (--allow-list) and restart the collector.");
        actions.add(
                "Review write access to the model directory and the deployment pipeline's recent"
                        + " runs.");
        return new Explanation(summary, cause, actions, NAME);
    }

    private static String clients(Incident i) {
        long n = i.clients().size() + i.clientsOmitted();
        return n == 0 ? "no identified client" : plural(n, "client");
    }

    private static String plural(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    /** Keeps outside strings short and on one line inside generated sentences. */
    static final class Text {
        private Text() {}

        static String name(Object o) {
            if (o == null) {
                return "\"(none)\"";
            }
            String s = o.toString().replaceAll("\\p{Cntrl}", "?");
            return "\"" + (s.length() > 80 ? s.substring(0, 80) + "..." : s) + "\"";
        }

        static String number(Object o) {
            if (o instanceof Double) {
                double d = (Double) o;
                return String.format(Locale.ROOT, "%.6g", d);
            }
            return String.valueOf(o);
        }
    }
}
