package io.mlguard.demo.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlguard.demo.TestModels;
import io.mlguard.demo.data.Dataset;
import io.mlguard.demo.data.MnistData;
import io.mlguard.demo.model.Mlp;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The protocol endpoints against a real server, real ONNX Runtime and real HTTP. */
class ModelServerTest {
    @TempDir static Path models;
    static ModelServer server;
    static TestHttp http;
    static final Dataset TEST = MnistData.load().heldOut();

    @BeforeAll
    static void start() throws Exception {
        TestModels.writeRepository(models);
        server = ModelServer.start(models, 0, false);
        http = new TestHttp(server.baseUrl());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void healthAndServerMetadata() throws Exception {
        assertThat(http.get("/v2/health/live").status()).isEqualTo(200);
        assertThat(http.get("/v2/health/ready").status()).isEqualTo(200);
        assertThat(http.get("/v2").json().path("name").asText()).isEqualTo("mlguard-demo");
        assertThat(server.baseUrl()).startsWith("http://127.0.0.1:");
    }

    @Test
    void modelMetadataComesFromTheSession() throws Exception {
        TestHttp.Answer answer = http.get("/v2/models/mnist");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json())
                .isEqualTo(
                        io.mlguard.demo.Json.MAPPER.readTree(
                                "{\"name\":\"mnist\",\"versions\":[\"1\"],\"platform\":\"onnxruntime_onnx\","
                                        + "\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[-1,784]}],"
                                        + "\"outputs\":[{\"name\":\"probabilities\",\"datatype\":\"FP32\",\"shape\":[-1,10]},"
                                        + "{\"name\":\"label\",\"datatype\":\"INT64\",\"shape\":[-1]}]}"));
        assertThat(http.get("/v2/models/mnist/ready").status()).isEqualTo(200);
        assertThat(http.get("/v2/models/mnist/versions/1").status()).isEqualTo(200);
        assertThat(http.get("/v2/models/mnist/versions/2").status()).isEqualTo(404);
        assertThat(http.get("/v2/models/nope/ready").status()).isEqualTo(404);
    }

    @Test
    void inferReturnsWhatTheJavaModelPredicts() throws Exception {
        Mlp mlp = TestModels.normal().model();
        for (int i = 0; i < TEST.size(); i += 97) {
            TestHttp.Answer answer =
                    http.post(
                            "/v2/models/mnist/infer",
                            TestHttp.inferBody("req-" + i, TEST.image(i)));
            assertThat(answer.status()).as(answer.text()).isEqualTo(200);
            JsonNode json = answer.json();
            assertThat(json.path("model_name").asText()).isEqualTo("mnist");
            assertThat(json.path("model_version").asText()).isEqualTo("1");
            assertThat(json.path("id").asText()).isEqualTo("req-" + i);
            JsonNode probabilities = output(json, "probabilities");
            assertThat(probabilities.path("datatype").asText()).isEqualTo("FP32");
            assertThat(probabilities.path("shape").toString()).isEqualTo("[1,10]");
            float[] expected = mlp.probabilities(TEST.image(i));
            for (int k = 0; k < 10; k++) {
                assertThat(probabilities.path("data").get(k).floatValue())
                        .isCloseTo(expected[k], within(1e-4f));
            }
            JsonNode label = output(json, "label");
            assertThat(label.path("datatype").asText()).isEqualTo("INT64");
            assertThat(label.path("data").get(0).asInt()).isEqualTo(mlp.predict(TEST.image(i)));
        }
    }

    @Test
    void batchOfThreeWithNestedData() throws Exception {
        Mlp mlp = TestModels.normal().model();
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            float[] image = TEST.image(i * 600);
            rows.append(i == 0 ? "" : ",").append(Arrays.toString(image));
        }
        String body =
                "{\"inputs\":[{\"name\":\"input\",\"shape\":[3,784],\"datatype\":\"FP32\",\"data\":["
                        + rows
                        + "]}],\"outputs\":[{\"name\":\"label\"}]}";
        TestHttp.Answer answer = http.post("/v2/models/mnist/infer", body);
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        assertThat(answer.json().path("id").isMissingNode()).isTrue();
        assertThat(answer.json().path("outputs")).hasSize(1);
        JsonNode label = output(answer.json(), "label");
        assertThat(label.path("shape").toString()).isEqualTo("[3]");
        for (int i = 0; i < 3; i++) {
            assertThat(label.path("data").get(i).asInt())
                    .isEqualTo(mlp.predict(TEST.image(i * 600)));
        }
    }

    @Test
    void nonFiniteInputsReachTheModel() throws Exception {
        float[] image = TEST.image(5).clone();
        image[100] = Float.NaN;
        image[200] = Float.POSITIVE_INFINITY;
        image[300] = Float.NEGATIVE_INFINITY;
        String body = TestHttp.inferBody("nan", image);
        assertThat(body).contains("NaN", "Infinity", "-Infinity");
        TestHttp.Answer answer = http.post("/v2/models/mnist/infer", body, "nan-client");
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        // NaN propagates through the network and comes back as a bare NaN token
        assertThat(answer.text()).contains("NaN");
        assertThat(output(answer.json(), "probabilities").path("data").get(0).doubleValue())
                .isNaN();
        JsonNode stats = http.get("/v2/stats").json();
        assertThat(stats.path("clients").path("nan-client").asLong()).isEqualTo(1);
    }

    @Test
    void clientMistakesGetClearErrors() throws Exception {
        String good = TestHttp.inferBody("x", TEST.image(0));
        expectError(http.post("/v2/models/mnist/infer", "{\"inputs\": [ {"), 400, "malformed JSON");
        expectError(http.post("/v2/models/mnist/infer", ""), 400, "body is empty");
        expectError(http.post("/v2/models/mnist/infer", "[1,2]"), 400, "JSON object");
        expectError(http.post("/v2/models/mnist/infer", "{}"), 400, "\"inputs\"");
        expectError(
                http.post("/v2/models/mnist/infer", good.replace("[1,784]", "[1,783]")),
                400,
                "does not fit");
        expectError(
                http.post("/v2/models/mnist/infer", good.replace("[1,784]", "[2,784]")),
                400,
                "needs 1568 values but \"data\" has 784");
        expectError(
                http.post("/v2/models/mnist/infer", good.replace("\"FP32\"", "\"INT64\"")),
                400,
                "datatype INT64 but the model expects FP32");
        expectError(
                http.post("/v2/models/mnist/infer", good.replace("\"FP32\"", "\"FLOAT99\"")),
                400,
                "unknown datatype");
        expectError(
                http.post(
                        "/v2/models/mnist/infer",
                        good.replace("\"name\":\"input\"", "\"name\":\"pixels\"")),
                400,
                "unknown input 'pixels'");
        expectError(
                http.post(
                        "/v2/models/mnist/infer",
                        good.replace("\"data\":[0.0,", "\"data\":[\"zero\",")),
                400,
                "is not a number");
        expectError(http.post("/v2/models/nope/infer", good), 404, "unknown model 'nope'");
        expectError(http.post("/v2/models/mnist/versions/9/infer", good), 404, "no version 9");
        expectError(http.get("/v2/models/mnist/infer"), 405, "use POST");
        expectError(http.get("/v3/anything"), 404, "no such endpoint");
        expectError(
                http.post("/v2/repository/models/..%2Fetc/load", "{}"), 404, "no such endpoint");
        expectError(
                http.post("/v2/repository/models/.hidden/load", "{}"), 400, "invalid model name");

        byte[] huge = new byte[ApiHandler.MAX_BODY_BYTES + 1024];
        Arrays.fill(huge, (byte) ' ');
        expectError(http.postBytes("/v2/models/mnist/infer", huge), 413, "exceeds");

        // nothing was lost: the server still answers
        assertThat(http.post("/v2/models/mnist/infer", good).status()).isEqualTo(200);
    }

    @Test
    void repositoryIndexListsTheModel() throws Exception {
        TestHttp.Answer answer = http.post("/v2/repository/index", "{}");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().get(0).path("name").asText()).isEqualTo("mnist");
        assertThat(answer.json().get(0).path("state").asText()).isEqualTo("READY");
    }

    private static void expectError(TestHttp.Answer answer, int status, String message) {
        assertThat(answer.status()).as(answer.text()).isEqualTo(status);
        assertThat(answer.error()).as(answer.text()).contains(message);
        assertThat(answer.text()).doesNotContain("Exception", "\tat ");
    }

    static JsonNode output(JsonNode response, String name) {
        for (JsonNode output : response.path("outputs")) {
            if (output.path("name").asText().equals(name)) {
                return output;
            }
        }
        throw new AssertionError("no output " + name + " in " + response);
    }
}
