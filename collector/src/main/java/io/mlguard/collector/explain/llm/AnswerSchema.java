package io.mlguard.collector.explain.llm;

import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonEnumSchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import io.mlguard.collector.detect.Severity;
import io.mlguard.collector.explain.AtlasTechnique;
import io.mlguard.collector.explain.ResponseAction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The JSON schema an LLM answer must follow, as a langchain4j response format. */
final class AnswerSchema {
    static final String NO_TECHNIQUE = "none";

    private AnswerSchema() {}

    /** Strict JSON schema, or plain JSON mode for servers that lack schema support. */
    static ResponseFormat responseFormat(boolean strictSchema) {
        if (!strictSchema) {
            return ResponseFormat.JSON;
        }
        return ResponseFormat.builder()
                .type(ResponseFormatType.JSON)
                .jsonSchema(
                        JsonSchema.builder()
                                .name("incident_explanation")
                                .rootElement(root())
                                .build())
                .build();
    }

    static JsonObjectSchema root() {
        List<String> techniques = new ArrayList<>();
        Arrays.stream(AtlasTechnique.values()).forEach(t -> techniques.add(t.id()));
        techniques.add(NO_TECHNIQUE);
        return JsonObjectSchema.builder()
                .addStringProperty("summary")
                .addStringProperty("likelyCause")
                .addEnumProperty("techniqueId", techniques)
                .addEnumProperty(
                        "severity",
                        Arrays.stream(Severity.values()).map(Severity::wireName).toList())
                .addNumberProperty("confidence")
                .addProperty(
                        "actions",
                        JsonArraySchema.builder()
                                .items(
                                        JsonEnumSchema.builder()
                                                .enumValues(
                                                        Arrays.stream(ResponseAction.values())
                                                                .map(ResponseAction::wireName)
                                                                .toList())
                                                .build())
                                .build())
                .addProperty(
                        "citedEvidence",
                        JsonArraySchema.builder()
                                .items(
                                        dev.langchain4j.model.chat.request.json.JsonStringSchema
                                                .builder()
                                                .build())
                                .build())
                .addStringProperty("model")
                .addIntegerProperty("count")
                .required(
                        "summary",
                        "likelyCause",
                        "techniqueId",
                        "severity",
                        "confidence",
                        "actions",
                        "citedEvidence",
                        "model",
                        "count")
                .additionalProperties(false)
                .build();
    }
}
