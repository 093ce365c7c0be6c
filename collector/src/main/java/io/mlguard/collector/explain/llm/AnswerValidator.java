package io.mlguard.collector.explain.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mlguard.collector.detect.Severity;
import io.mlguard.collector.explain.AtlasTechnique;
import io.mlguard.collector.explain.Explanation;
import io.mlguard.collector.explain.IncidentFacts;
import io.mlguard.collector.explain.ResponseAction;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The guardrails on an LLM answer: it must be the schema's JSON, cite only evidence the incident
 * has, recommend only allowed actions, and agree with the incident's numbers (severity not lower,
 * same model, same count, no "no action" on a medium or worse incident). Any failure is a {@link
 * Rejected} with a reason for the record; the caller falls back to the deterministic explanation.
 */
final class AnswerValidator {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int MAX_TEXT = 4000;

    /** Why an answer was not used. */
    static final class Rejected extends Exception {
        Rejected(String reason) {
            super(reason);
        }
    }

    private AnswerValidator() {}

    static Explanation validate(String answer, IncidentFacts f, Masker masker, String generatedBy)
            throws Rejected {
        JsonNode root;
        try {
            root = MAPPER.readTree(stripFence(answer));
        } catch (Exception e) {
            throw new Rejected("answer is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw new Rejected("answer is not a JSON object");
        }
        String summary = text(root, "summary");
        String cause = text(root, "likelyCause");
        String techniqueId = text(root, "techniqueId");
        Severity severity;
        try {
            severity = Severity.ofWireName(text(root, "severity"));
        } catch (IllegalArgumentException e) {
            throw new Rejected("severity is not one of low, medium, high, critical");
        }
        JsonNode conf = root.get("confidence");
        if (conf == null || !conf.isNumber() || conf.asDouble() < 0 || conf.asDouble() > 1) {
            throw new Rejected("confidence is missing or outside [0, 1]");
        }
        List<ResponseAction> actions = new ArrayList<>();
        for (String a : strings(root, "actions")) {
            try {
                actions.add(ResponseAction.ofWireName(a));
            } catch (IllegalArgumentException e) {
                throw new Rejected("action outside the allowed list: " + cut(a));
            }
        }
        if (actions.isEmpty()) {
            throw new Rejected("no action recommended");
        }
        List<String> cited = strings(root, "citedEvidence");
        if (cited.isEmpty()) {
            throw new Rejected("cites no evidence");
        }
        for (String key : cited) {
            if (!f.evidence().containsKey(key)) {
                throw new Rejected("cites evidence that does not exist: " + cut(key));
            }
        }
        AtlasTechnique technique = null;
        if (!AnswerSchema.NO_TECHNIQUE.equals(techniqueId)) {
            try {
                technique = AtlasTechnique.ofId(techniqueId);
            } catch (IllegalArgumentException e) {
                throw new Rejected("unknown ATLAS technique id: " + cut(techniqueId));
            }
        }
        if (severity.compareTo(f.severity()) < 0) {
            throw new Rejected(
                    "severity "
                            + severity.wireName()
                            + " is below the detector's "
                            + f.severity().wireName());
        }
        JsonNode count = root.get("count");
        if (count == null || !count.canConvertToLong() || count.asLong() != f.count()) {
            throw new Rejected(
                    "count " + cut(String.valueOf(count)) + " is not the incident's " + f.count());
        }
        String model = masker.unmask(text(root, "model"));
        if (!Objects.equals(model, f.model())) {
            throw new Rejected("model in the answer is not the incident's model");
        }
        if (actions.contains(ResponseAction.NO_ACTION)
                && f.severity().compareTo(Severity.MEDIUM) >= 0) {
            throw new Rejected(
                    "no_action recommended for a " + f.severity().wireName() + " incident");
        }
        List<String> recommended = actions.stream().map(ResponseAction::description).toList();
        return new Explanation(
                masker.unmask(summary),
                masker.unmask(cause),
                recommended,
                generatedBy,
                Explanation.SOURCE_LLM,
                technique,
                severity,
                conf.asDouble(),
                actions,
                cited,
                null);
    }

    private static String text(JsonNode root, String field) throws Rejected {
        JsonNode n = root.get(field);
        if (n == null || !n.isTextual() || n.asText().isBlank()) {
            throw new Rejected("answer lacks the text field " + field);
        }
        if (n.asText().length() > MAX_TEXT) {
            throw new Rejected("field " + field + " is longer than " + MAX_TEXT + " characters");
        }
        return n.asText();
    }

    private static List<String> strings(JsonNode root, String field) throws Rejected {
        JsonNode n = root.get(field);
        if (n == null || !n.isArray()) {
            throw new Rejected("answer lacks the list " + field);
        }
        List<String> out = new ArrayList<>();
        for (JsonNode e : n) {
            if (!e.isTextual()) {
                throw new Rejected(field + " holds something other than strings");
            }
            out.add(e.asText());
        }
        return out;
    }

    /** Some servers wrap JSON mode answers in a Markdown fence. */
    private static String stripFence(String s) {
        String t = s == null ? "" : s.strip();
        if (t.startsWith("```")) {
            int nl = t.indexOf('\n');
            int end = t.lastIndexOf("```");
            if (nl > 0 && end > nl) {
                return t.substring(nl + 1, end);
            }
        }
        return t;
    }

    /** Answers are outside strings too: keep them short and on one line in reasons. */
    private static String cut(String s) {
        String one = String.valueOf(s).replaceAll("\\p{Cntrl}", "?");
        return one.length() > 60 ? one.substring(0, 60) + "..." : one;
    }
}
