package io.mlguard.collector.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mlguard.collector.incident.Feedback;
import io.mlguard.collector.incident.Verdict;
import java.io.IOException;
import java.util.Iterator;

/**
 * The body of {@code POST /api/incidents/{id}/feedback}: {@code {"verdict": "true_positive" |
 * "false_positive", "comment": "..."}}. Anything else (other fields, wrong types, duplicate keys,
 * trailing data) is an {@link HttpError} 400 that says what is wrong.
 */
final class FeedbackRequest {
    private static final ObjectMapper STRICT =
            new ObjectMapper()
                    .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                    .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private FeedbackRequest() {}

    static Feedback parse(byte[] body, String incidentId, long now) {
        JsonNode n;
        try {
            n = STRICT.readTree(body);
        } catch (JsonProcessingException e) {
            throw new HttpError(400, "malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new HttpError(400, "unreadable body: " + e.getMessage());
        }
        if (n == null || !n.isObject()) {
            throw new HttpError(400, "expected a JSON object {\"verdict\": ..., \"comment\": ...}");
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals("verdict") && !f.equals("comment")) {
                throw new HttpError(
                        400, "unknown field \"" + cut(f) + "\"; expected verdict and comment");
            }
        }
        JsonNode verdict = n.get("verdict");
        if (verdict == null || !verdict.isTextual()) {
            throw new HttpError(
                    400, "verdict is required: \"true_positive\" or \"false_positive\"");
        }
        JsonNode comment = n.get("comment");
        if (comment != null && !comment.isTextual() && !comment.isNull()) {
            throw new HttpError(400, "comment must be a string");
        }
        try {
            return new Feedback(
                    incidentId,
                    Verdict.ofWireName(verdict.asText()),
                    comment == null || comment.isNull() ? "" : comment.asText(),
                    now);
        } catch (IllegalArgumentException e) {
            throw new HttpError(400, cut(e.getMessage()));
        }
    }

    private static String cut(String s) {
        String c = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        return c.replaceAll("\\p{Cntrl}", "?");
    }
}
