package io.mlguard.collector.explain.llm;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import java.util.Map;

/** Makes the langchain4j chat model the settings describe. */
public final class ChatModels {
    private ChatModels() {}

    /**
     * {@code provider=openai}: langchain4j's OpenAI client, for any OpenAI-compatible server (vLLM,
     * llama.cpp, LM Studio, Ollama's {@code /v1}); {@code provider=ollama}: Ollama's own {@code
     * /api/chat}.
     */
    public static ChatModel create(LlmSettings s, Map<String, String> env) {
        if (s.provider().equals("ollama")) {
            return new OllamaChatModel(s.baseUrl(), s.model(), s.timeout());
        }
        String base = s.baseUrl().toString().replaceAll("/+$", "");
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
