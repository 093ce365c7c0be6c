package io.mlguard.collector.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mlguard.collector.explain.Explanation;
import io.mlguard.collector.incident.DetectorTuning;
import io.mlguard.collector.incident.Feedback;
import io.mlguard.collector.incident.FeedbackStore;
import io.mlguard.collector.incident.Incident;
import io.mlguard.collector.incident.IncidentFields;
import io.mlguard.collector.incident.ThresholdTuner;
import java.util.List;

/**
 * The JSON form of incidents, shared by the API and the report files. Field names are part of the
 * API contract: add fields, never rename them.
 */
public final class IncidentJson {
    /** One mapper for the collector; thread-safe once configured. */
    public static final ObjectMapper MAPPER =
            new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private IncidentJson() {}

    public static ObjectNode toJson(Incident i) {
        return toJson(i, List.of());
    }

    /**
     * The incident with the operators' feedback on it (oldest first), the latest verdict in {@code
     * verdict} and, unless {@code tuning} is null, where feedback has moved the threshold of the
     * incident's type in {@code detectorTuning}.
     */
    public static ObjectNode toJson(Incident i, List<Feedback> feedback, DetectorTuning tuning) {
        ObjectNode n = toJson(i, feedback);
        if (tuning != null) {
            ObjectNode t = n.putObject("detectorTuning");
            t.put("type", tuning.type().wireName());
            t.put("thresholdMultiplier", tuning.multiplier());
            t.put("maxMultiplier", tuning.maxMultiplier());
            t.put("level", tuning.level());
            t.put("maxLevel", ThresholdTuner.LEVELS);
            t.put("falsePositives", tuning.falsePositives());
            t.put("truePositives", tuning.truePositives());
        }
        return n;
    }

    /** The incident with the operators' feedback on it, oldest first. */
    public static ObjectNode toJson(Incident i, List<Feedback> feedback) {
        ObjectNode n = MAPPER.createObjectNode();
        IncidentFields.identity(n, i);
        IncidentFields.times(n, i);
        IncidentFields.recordRange(n, i);
        IncidentFields.evidence(n, i, MAPPER);
        n.set("explanation", toJson(i.explanation()));
        IncidentFields.timeline(n, i);
        ArrayNode fb = n.putArray("feedback");
        for (Feedback f : feedback) {
            fb.add(toJson(f));
        }
        // The operators' latest word on it: null while unreviewed.
        n.put("verdict", feedback.isEmpty() ? null : latest(feedback).verdict().wireName());
        if (!feedback.isEmpty()) {
            n.put("verdictComment", latest(feedback).comment());
        }
        return n;
    }

    private static Feedback latest(List<Feedback> feedback) {
        return feedback.get(feedback.size() - 1);
    }

    public static ObjectNode toJson(Feedback f) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("verdict", f.verdict().wireName());
        n.put("comment", f.comment());
        n.put("createdAt", f.createdAt());
        return n;
    }

    public static ArrayNode toJson(List<Incident> incidents) {
        ArrayNode a = MAPPER.createArrayNode();
        incidents.forEach(i -> a.add(toJson(i)));
        return a;
    }

    public static ArrayNode toJson(List<Incident> incidents, FeedbackStore feedback) {
        ArrayNode a = MAPPER.createArrayNode();
        incidents.forEach(i -> a.add(toJson(i, feedback.forIncident(i.id()))));
        return a;
    }

    private static ObjectNode toJson(Explanation e) {
        if (e == null) {
            return null;
        }
        ObjectNode n = MAPPER.createObjectNode();
        n.put("summary", e.summary());
        n.put("likelyCause", e.likelyCause());
        ArrayNode actions = n.putArray("recommendedActions");
        e.recommendedActions().forEach(actions::add);
        n.put("generatedBy", e.generatedBy());
        n.put("source", e.source());
        if (e.technique() != null) {
            n.put("techniqueId", e.technique().id());
            n.put("technique", e.technique().title());
        }
        if (e.severity() != null) {
            n.put("severity", e.severity().wireName());
        }
        n.put("confidence", e.confidence());
        ArrayNode codes = n.putArray("actions");
        e.actions().forEach(a -> codes.add(a.wireName()));
        ArrayNode cited = n.putArray("citedEvidence");
        e.citedEvidence().forEach(cited::add);
        if (e.fallbackReason() != null) {
            n.put("fallbackReason", e.fallbackReason());
        }
        return n;
    }
}
