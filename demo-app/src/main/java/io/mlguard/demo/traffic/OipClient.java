package io.mlguard.demo.traffic;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlguard.demo.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A minimal Open Inference Protocol v2 REST client, one per simulated client so that each has its
 * own connections and identity.
 */
final class OipClient {
    /**
     * An answer: the status, and the predicted labels and class probabilities (one row per input)
     * when it was a successful inference.
     */
    record Answer(int status, long[] labels, float[][] probabilities) {
        Answer(int status) {
            this(status, null, null);
        }
    }

    private final HttpClient http;
    private final String baseUrl;
    private final String clientId;

    OipClient(String baseUrl, String clientId) {
        this.http =
                HttpClient.newBuilder()
                        // the JDK server speaks HTTP/1.1 only: skip the h2c upgrade attempt
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(5))
                        .build();
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.clientId = clientId;
    }

    /** Sends {@code images} (rows of equal width) as one FP32 batch to {@code model}. */
    Answer infer(String model, String id, float[][] images) throws InterruptedException {
        int pixels = images[0].length;
        float[] flat = new float[images.length * pixels];
        for (int i = 0; i < images.length; i++) {
            System.arraycopy(images[i], 0, flat, i * pixels, pixels);
        }
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("name", "input");
        input.put("shape", new long[] {images.length, pixels});
        input.put("datatype", "FP32");
        input.put("data", flat);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", id);
        body.put("inputs", List.of(input));
        try {
            // NaN and Infinity are written as bare tokens, exactly as a careless client would
            byte[] json = Json.MAPPER.writeValueAsBytes(body);
            HttpResponse<byte[]> response = send("/v2/models/" + model + "/infer", json);
            if (response.statusCode() != 200) {
                return new Answer(response.statusCode());
            }
            JsonNode answer = Json.MAPPER.readTree(response.body());
            return new Answer(200, labels(answer), probabilities(answer, images.length));
        } catch (IOException e) {
            return new Answer(-1);
        }
    }

    /** POSTs an empty JSON object to {@code path}; returns the status, -1 without an answer. */
    int post(String path) throws InterruptedException {
        try {
            return send(path, "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8)).statusCode();
        } catch (IOException e) {
            return -1;
        }
    }

    /** GETs {@code path}; returns the status, -1 without an answer. */
    int get(String path) throws InterruptedException {
        HttpRequest request =
                HttpRequest.newBuilder(URI.create(baseUrl + path))
                        .timeout(Duration.ofSeconds(10))
                        .header("X-Client-Id", clientId)
                        .GET()
                        .build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        }
    }

    private HttpResponse<byte[]> send(String path, byte[] json)
            throws IOException, InterruptedException {
        HttpRequest request =
                HttpRequest.newBuilder(URI.create(baseUrl + path))
                        .timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/json")
                        .header("X-Client-Id", clientId)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(json))
                        .build();
        return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    /** The "probabilities" output as rows, or {@code null} when the model has none. */
    private static float[][] probabilities(JsonNode response, int rows) {
        for (JsonNode output : response.path("outputs")) {
            if ("probabilities".equals(output.path("name").asText())) {
                JsonNode data = output.path("data");
                int width = data.size() / rows;
                float[][] p = new float[rows][width];
                for (int i = 0; i < rows * width; i++) {
                    p[i / width][i % width] = data.get(i).floatValue();
                }
                return p;
            }
        }
        return null;
    }

    private static long[] labels(JsonNode response) throws IOException {
        for (JsonNode output : response.path("outputs")) {
            if ("label".equals(output.path("name").asText())) {
                JsonNode data = output.path("data");
                long[] labels = new long[data.size()];
                for (int i = 0; i < labels.length; i++) {
                    labels[i] = data.get(i).asLong();
                }
                return labels;
            }
        }
        throw new IOException("answer has no \"label\" output");
    }
}
