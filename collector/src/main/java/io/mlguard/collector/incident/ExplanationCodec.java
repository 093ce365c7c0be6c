package io.mlguard.collector.incident;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mlguard.collector.detect.Severity;
import io.mlguard.collector.explain.AtlasTechnique;
import io.mlguard.collector.explain.Explanation;
import io.mlguard.collector.explain.ResponseAction;
import java.util.ArrayList;
import java.util.List;

/**
 * Every field of an {@link Explanation} for the durable store, so that a restart keeps what the
 * report shows: the source, technique, confidence and why an LLM's answer was not used. Documents
 * written before these fields existed read back as plain deterministic explanations.
 */
final class ExplanationCodec {
    private ExplanationCodec() {}

    static void encode(Explanation x, ObjectNode e) {
        e.put("summary", x.summary());
        e.put("likelyCause", x.likelyCause());
        ArrayNode text = e.putArray("recommendedActions");
        x.recommendedActions().forEach(text::add);
        e.put("generatedBy", x.generatedBy());
        e.put("source", x.source());
        if (x.technique() != null) {
            e.put("techniqueId", x.technique().id());
        }
        if (x.severity() != null) {
            e.put("severity", x.severity().wireName());
        }
        e.put("confidence", x.confidence());
        ArrayNode codes = e.putArray("actions");
        x.actions().forEach(a -> codes.add(a.wireName()));
        ArrayNode cited = e.putArray("citedEvidence");
        x.citedEvidence().forEach(cited::add);
        if (x.fallbackReason() != null) {
            e.put("fallbackReason", x.fallbackReason());
        }
    }

    static Explanation decode(JsonNode x) {
        List<String> text = new ArrayList<>();
        x.path("recommendedActions").forEach(a -> text.add(a.asText()));
        List<ResponseAction> actions = new ArrayList<>();
        x.path("actions").forEach(a -> actions.add(ResponseAction.ofWireName(a.asText())));
        List<String> cited = new ArrayList<>();
        x.path("citedEvidence").forEach(c -> cited.add(c.asText()));
        return new Explanation(
                x.path("summary").asText(),
                x.path("likelyCause").asText(),
                text,
                x.path("generatedBy").asText(),
                x.path("source").asText(Explanation.SOURCE_DETERMINISTIC),
                x.hasNonNull("techniqueId")
                        ? AtlasTechnique.ofId(x.path("techniqueId").asText())
                        : null,
                x.hasNonNull("severity") ? Severity.ofWireName(x.path("severity").asText()) : null,
                x.path("confidence").asDouble(0),
                actions,
                cited,
                x.hasNonNull("fallbackReason") ? x.path("fallbackReason").asText() : null);
    }
}
