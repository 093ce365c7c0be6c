package io.mlguard.collector.explain.llm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A scripted OpenAI chat-completions server on 127.0.0.1 (the one allowed stand-in: no chat LLM
 * runs offline). Each request takes the next scripted reply; every request body is recorded.
 */
final class FakeOpenAiServer implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** One scripted reply: an HTTP status and the assistant's content, or a hang. */
    record Reply(int status, String content, CountDownLatch hangUntil) {
        static Reply answer(String content) {
            return new Reply(200, content, null);
        }

        static Reply error(int status) {
            return new Reply(status, null, null);
        }

        static Reply hang(CountDownLatch release) {
            return new Reply(200, "{}", release);
        }

        static Reply after(CountDownLatch release, String content) {
            return new Reply(200, content, release);
        }
    }

    private final HttpServer server;
    private final BlockingQueue<Reply> script = new LinkedBlockingQueue<>();
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private final List<String> paths = new CopyOnWriteArrayList<>();

    FakeOpenAiServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    void script(Reply... replies) {
        script.addAll(List.of(replies));
    }

    List<String> bodies() {
        return bodies;
    }

    List<String> paths() {
        return paths;
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            bodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            paths.add(ex.getRequestURI().getPath());
            Reply r = script.poll();
            if (r == null) {
                send(ex, 503, "{\"error\":{\"message\":\"no scripted reply\"}}");
                return;
            }
            if (r.hangUntil() != null) {
                try {
                    r.hangUntil().await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (r.status() != 200) {
                send(ex, r.status(), "{\"error\":{\"message\":\"scripted failure\"}}");
                return;
            }
            ObjectNode resp = MAPPER.createObjectNode();
            resp.put("id", "chatcmpl-test");
            resp.put("object", "chat.completion");
            resp.put("created", 1_700_000_000L);
            resp.put("model", "test-model");
            ObjectNode choice = resp.putArray("choices").addObject();
            choice.put("index", 0);
            choice.put("finish_reason", "stop");
            ObjectNode msg = choice.putObject("message");
            msg.put("role", "assistant");
            msg.put("content", r.content());
            ObjectNode usage = resp.putObject("usage");
            usage.put("prompt_tokens", 10);
            usage.put("completion_tokens", 10);
            usage.put("total_tokens", 20);
            send(ex, 200, MAPPER.writeValueAsString(resp));
        } catch (IOException e) {
            // The client may have given up (timeout test): nothing to answer.
        }
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(b);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
