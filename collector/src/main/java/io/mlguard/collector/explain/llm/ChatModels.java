package io.mlguard.collector.explain.llm;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import java.util.Map;

/** Makes the langchain4j chat model the settings describe. */
public final class ChatModels {
    private ChatModels() {}

    /**
     * An OpenAI-compatible chat model. For {@code provider=ollama} it talks to Ollama's
     * OpenAI-compatible {@code /v1} API under the given base URL (the langchain4j-ollama module is
     * not available from the registry this project builds from).
     */
    public static ChatModel create(LlmSettings s, Map<String, String> env) {
        String base = s.baseUrl().toString().replaceAll("/+$", "");
        if (s.provider().equals("ollama") && !base.endsWith("/v1")) {
            base = base + "/v1";
        }
        String key = s.apiKey(env);
        return OpenAiChatModel.builder()
                .baseUrl(base)
                // Local servers need no key, but the client insists on one.
                .apiKey(key == null || key.isEmpty() ? "unused" : key)
                .modelName(s.model())
                .timeout(s.timeout())
                // Retries are the explainer's: it counts them and knows which failures to retry.
                .maxRetries(0)
                .strictJsonSchema(s.strictSchema())
                .temperature(0.0)
                .build();
    }
}
