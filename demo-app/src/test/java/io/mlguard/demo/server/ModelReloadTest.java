package io.mlguard.demo.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlguard.demo.TestModels;
import io.mlguard.demo.data.Dataset;
import io.mlguard.demo.data.MnistData;
import io.mlguard.demo.model.ModelFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading, unloading and reloading models from disk while the server runs. */
class ModelReloadTest {
    @TempDir Path models;
    ModelServer server;
    TestHttp http;
    Path file;
    String one;

    @BeforeEach
    void start() throws Exception {
        file = TestModels.writeRepository(models);
        server = ModelServer.start(models, 0, false);
        http = new TestHttp(server.baseUrl());
        Dataset test = MnistData.load().heldOut();
        // a held-out "1" that the normal model gets right
        for (int i = 0; i < test.size(); i++) {
            if (test.label(i) == 1 && TestModels.normal().model().predict(test.image(i)) == 1) {
                one = TestHttp.inferBody("one", test.image(i));
                break;
            }
        }
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void reloadServesTheNewFile() throws Exception {
        TestHttp.Answer before = http.post("/v2/models/mnist/infer", one);
        assertThat(label(before)).isEqualTo(1);

        ModelFiles.writeAtomically(file, TestModels.tampered().onnxBytes());
        // nothing changes until the server is asked to reload
        assertThat(label(http.post("/v2/models/mnist/infer", one))).isEqualTo(1);
        TestHttp.Answer load = http.post("/v2/repository/models/mnist/load", "{}");
        assertThat(load.status()).as(load.text()).isEqualTo(200);

        TestHttp.Answer after = http.post("/v2/models/mnist/infer", one);
        assertThat(label(after)).isEqualTo(7);
        assertThat(probabilities(after)).isNotEqualTo(probabilities(before));
    }

    @Test
    void unloadThenLoad() throws Exception {
        assertThat(http.post("/v2/repository/models/mnist/unload", "{}").status()).isEqualTo(200);
        TestHttp.Answer unloaded = http.post("/v2/models/mnist/infer", one);
        assertThat(unloaded.status()).isEqualTo(503);
        assertThat(unloaded.error()).contains("not ready");
        assertThat(http.get("/v2/models/mnist/ready").status()).isEqualTo(503);
        JsonNode index = http.post("/v2/repository/index", "{}").json();
        assertThat(index.get(0).path("state").asText()).isEqualTo("UNAVAILABLE");

        assertThat(http.post("/v2/repository/models/mnist/load", "{}").status()).isEqualTo(200);
        assertThat(label(http.post("/v2/models/mnist/infer", one))).isEqualTo(1);
        assertThat(http.post("/v2/repository/models/ghost/load", "{}").status()).isEqualTo(404);
    }

    @Test
    void requestsDuringReloadsAllSucceed() throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService clients = Executors.newFixedThreadPool(4);
        List<Future<Integer>> results = new ArrayList<>();
        try {
            for (int c = 0; c < 4; c++) {
                results.add(
                        clients.submit(
                                () -> {
                                    TestHttp own = new TestHttp(server.baseUrl());
                                    int sent = 0;
                                    // bounded: at most 2,000 requests per client
                                    while ((running.get() || sent < 20) && sent < 2_000) {
                                        TestHttp.Answer a = own.post("/v2/models/mnist/infer", one);
                                        assertThat(a.status()).as(a.text()).isEqualTo(200);
                                        sent++;
                                    }
                                    return sent;
                                }));
            }
            for (int reload = 0; reload < 8; reload++) {
                byte[] bytes =
                        reload % 2 == 0
                                ? TestModels.tampered().onnxBytes()
                                : TestModels.normal().onnxBytes();
                ModelFiles.writeAtomically(file, bytes);
                TestHttp.Answer load = http.post("/v2/repository/models/mnist/load", "{}");
                assertThat(load.status()).as(load.text()).isEqualTo(200);
                Thread.sleep(20);
            }
        } finally {
            running.set(false);
            clients.shutdown();
        }
        int total = 0;
        for (Future<Integer> f : results) {
            total += f.get();
        }
        assertThat(total).isGreaterThanOrEqualTo(80);
    }

    private static int label(TestHttp.Answer answer) {
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        return ModelServerTest.output(answer.json(), "label").path("data").get(0).asInt();
    }

    private static String probabilities(TestHttp.Answer answer) {
        return ModelServerTest.output(answer.json(), "probabilities").path("data").toString();
    }
}
