package io.mlguard.demo.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlguard.demo.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;

/** A real HTTP client for the tests. */
final class TestHttp {
    /** Status and parsed JSON body. */
    record Answer(int status, JsonNode json, String text) {
        String error() {
            return json == null ? null : json.path("error").asText(null);
        }
    }

    private final HttpClient client =
            HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
    private final String base;

    TestHttp(String base) {
        this.base = base;
    }

    Answer get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET(), "test");
    }

    Answer post(String path, String body) throws IOException, InterruptedException {
        return post(path, body, "test");
    }

    Answer post(String path, String body, String clientId)
            throws IOException, InterruptedException {
        return send(
                HttpRequest.newBuilder(URI.create(base + path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)),
                clientId);
    }

    Answer postBytes(String path, byte[] body) throws IOException, InterruptedException {
        return send(
                HttpRequest.newBuilder(URI.create(base + path))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)),
                "test");
    }

    private Answer send(HttpRequest.Builder builder, String clientId)
            throws IOException, InterruptedException {
        HttpRequest request =
                builder.timeout(Duration.ofSeconds(30)).header("X-Client-Id", clientId).build();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        JsonNode json = null;
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        if (contentType.toLowerCase(Locale.ROOT).contains("json") && !response.body().isEmpty()) {
            json = Json.MAPPER.readTree(response.body());
        }
        return new Answer(response.statusCode(), json, response.body());
    }

    /** An inference request body for {@code images}, flat data. */
    static String inferBody(String id, float[]... images) throws IOException {
        StringBuilder data = new StringBuilder();
        for (float[] image : images) {
            for (float p : image) {
                data.append(data.length() == 0 ? "" : ",").append(p);
            }
        }
        return "{\"id\":\""
                + id
                + "\",\"inputs\":[{\"name\":\"input\",\"shape\":["
                + images.length
                + ",784],\"datatype\":\"FP32\",\"data\":["
                + data
                + "]}]}";
    }
}
