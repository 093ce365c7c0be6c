package io.mlguard.collector.explain.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.internal.JsonSchemaElementUtils;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A langchain4j {@link ChatModel} on Ollama's own API ({@code POST /api/chat}, not streamed, with
 * the JSON schema in {@code format}). The langchain4j-ollama module is not published at the
 * langchain4j version this project uses, and the call is small enough to make with the JDK client.
 */
final class OllamaChatModel implements ChatModel {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final URI chatUri;
    private final String model;
    private final Duration timeout;
    private final HttpClient http;

    OllamaChatModel(URI baseUrl, String model, Duration timeout) {
        String base = baseUrl.toString().replaceAll("/+$", "");
        this.chatUri = URI.create(base + "/api/chat");
        this.model = model;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    @Override
    public ChatResponse doChat(ChatRequest request) {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("model", model);
        body.put("stream", false);
        body.putObject("options").put("temperature", 0.0);
        ArrayNode messages = body.putArray("messages");
        for (ChatMessage m : request.messages()) {
            ObjectNode n = messages.addObject();
            if (m instanceof SystemMessage s) {
                n.put("role", "system").put("content", s.text());
            } else if (m instanceof UserMessage u) {
                n.put("role", "user").put("content", u.singleText());
            } else if (m instanceof AiMessage a) {
                n.put("role", "assistant").put("content", a.text());
            } else {
                throw new IllegalArgumentException("unsupported message type " + m.type());
            }
        }
        ResponseFormat format = request.responseFormat();
        if (format != null && format.jsonSchema() != null) {
            body.set(
                    "format",
                    MAPPER.valueToTree(
                            JsonSchemaElementUtils.toMap(format.jsonSchema().rootElement())));
        } else if (format != null) {
            body.put("format", "json");
        }
        HttpResponse<String> response;
        try {
            response =
                    http.send(
                            HttpRequest.newBuilder(chatUri)
                                    .timeout(timeout)
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Ollama", e);
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException("Ollama answered HTTP " + response.statusCode());
        }
        JsonNode answer;
        try {
            answer = MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("Ollama's reply is not JSON", e);
        }
        JsonNode content = answer.at("/message/content");
        if (!content.isTextual()) {
            throw new IllegalStateException("Ollama's reply has no message content");
        }
        return ChatResponse.builder().aiMessage(AiMessage.from(content.asText())).build();
    }
}
