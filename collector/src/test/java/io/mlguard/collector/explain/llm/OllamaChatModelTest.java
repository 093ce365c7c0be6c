package io.mlguard.collector.explain.llm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.mlguard.collector.explain.Explanation;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The Ollama-native path against a fake {@code /api/chat} on 127.0.0.1. */
class OllamaChatModelTest {
    @Test
    void explainsThroughOllamasOwnApiWithTheSchemaInFormat() throws Exception {
        List<String> bodies = new CopyOnWriteArrayList<>();
        List<String> paths = new CopyOnWriteArrayList<>();
        String content = Answers.json(Answers.valid("MODEL_1"));
        HttpServer server =
                HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext(
                "/",
                ex -> {
                    try (ex) {
                        bodies.add(
                                new String(
                                        ex.getRequestBody().readAllBytes(),
                                        StandardCharsets.UTF_8));
                        paths.add(ex.getRequestURI().getPath());
                        com.fasterxml.jackson.databind.node.ObjectNode r =
                                Answers.MAPPER.createObjectNode();
                        r.put("model", "llama3");
                        r.putObject("message").put("role", "assistant").put("content", content);
                        r.put("done", true);
                        byte[] b = r.toString().getBytes(StandardCharsets.UTF_8);
                        ex.sendResponseHeaders(200, b.length);
                        try (OutputStream os = ex.getResponseBody()) {
                            os.write(b);
                        }
                    }
                });
        server.start();
        try {
            LlmSettings s =
                    LlmSettings.of(
                            Map.of(
                                    "provider", "ollama",
                                    "baseUrl", "http://127.0.0.1:" + server.getAddress().getPort(),
                                    "model", "llama3"));
            Explanation e =
                    new LlmExplainer(ChatModels.create(s, Map.of()), s, null)
                            .explain(Answers.queryAttack("198.51.100.7"));

            assertThat(e.source()).isEqualTo("llm");
            assertThat(e.summary()).contains("198.51.100.7");
            assertThat(paths).containsExactly("/api/chat");
            JsonNode body = Answers.MAPPER.readTree(bodies.get(0));
            assertThat(body.get("stream").asBoolean()).isFalse();
            assertThat(body.at("/format/properties/actions/items/enum").size()).isEqualTo(8);
            assertThat(body.at("/messages/0/role").asText()).isEqualTo("system");
            assertThat(bodies.get(0)).doesNotContain("198.51.100.7");
        } finally {
            server.stop(0);
        }
    }
}
