package io.mlguard.demo.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import com.fasterxml.jackson.databind.JsonNode;
import io.mlguard.demo.Json;
import io.mlguard.demo.data.CreditData;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CreditModelsTest {
    @TempDir Path dir;

    @Test
    void onnxRuntimeAgreesWithTheJavaModelAndItIsAccurate() throws Exception {
        CreditModels.Trained trained = CreditModels.train();
        assertThat(trained.heldOutAccuracy()).isGreaterThanOrEqualTo(0.70);
        assertThat(trained.heldOutAuc()).isGreaterThan(0.70);
        Path file = CreditModels.write(dir, trained);
        assertThat(file).isEqualTo(dir.resolve("credit/1/model.onnx"));

        CreditClassifier model = trained.model();
        FeatureEncoding encoding = model.encoding();
        CreditData.Table test = CreditData.load().heldOut();
        int width = encoding.width();
        float[] flat = new float[test.size() * width];
        for (int r = 0; r < test.size(); r++) {
            System.arraycopy(encoding.encode(test.rows().get(r)), 0, flat, r * width, width);
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        int correct = 0;
        try (OrtSession session =
                        env.createSession(file.toString(), new OrtSession.SessionOptions());
                OnnxTensor input =
                        OnnxTensor.createTensor(
                                env, FloatBuffer.wrap(flat), new long[] {test.size(), width});
                OrtSession.Result result = session.run(Map.of("input", input))) {
            TensorInfo in = (TensorInfo) session.getInputInfo().get("input").getInfo();
            assertThat(in.getShape()).containsExactly(-1, width);
            float[][] probabilities =
                    (float[][]) result.get("probabilities").orElseThrow().getValue();
            long[] labels = (long[]) result.get("label").orElseThrow().getValue();
            for (int r = 0; r < test.size(); r++) {
                float[] raw = encoding.encode(test.rows().get(r));
                float[] expected = model.probabilities(raw);
                assertThat(probabilities[r][0]).isCloseTo(expected[0], within(1e-5f));
                assertThat(probabilities[r][1]).isCloseTo(expected[1], within(1e-5f));
                assertThat(labels[r]).isEqualTo(model.predict(raw));
                correct += labels[r] == test.labels()[r] ? 1 : 0;
            }
        }
        assertThat(correct / (double) test.size()).isEqualTo(trained.heldOutAccuracy());
    }

    @Test
    void featuresJsonDescribesEveryColumn() throws Exception {
        CreditModels.Trained trained = CreditModels.train();
        Path file = CreditModels.write(dir, trained);
        JsonNode doc = Json.MAPPER.readTree(file.resolveSibling("features.json").toFile());
        FeatureEncoding encoding = trained.model().encoding();
        assertThat(doc.path("width").asInt()).isEqualTo(encoding.width());
        assertThat(doc.path("columns")).hasSize(encoding.width());
        assertThat(doc.path("features")).hasSize(20);
        int columns = 0;
        for (JsonNode f : doc.path("features")) {
            columns += f.path("type").asText().equals("nominal") ? f.path("values").size() : 1;
        }
        assertThat(columns).isEqualTo(encoding.width());
        JsonNode amount = doc.path("features").get(4);
        assertThat(amount.path("name").asText()).isEqualTo("credit_amount");
        assertThat(amount.path("column").asInt())
                .isEqualTo(encoding.numericColumn("credit_amount"));
        assertThat(amount.path("mean").asDouble()).isBetween(2000.0, 5000.0);
        assertThat(doc.path("classes").toString()).isEqualTo("[\"good\",\"bad\"]");
    }

    @Test
    void encodingIsOneHotAndImputesMissingNumbers() {
        CreditData data = CreditData.load();
        FeatureEncoding encoding = FeatureEncoding.fit(data.features(), data.training().rows());
        double[] row = data.training().rows().get(0).clone();
        float[] x = encoding.encode(row);
        float ones = 0;
        for (int c = 0; c < x.length; c++) {
            if (encoding.columns().get(c).contains("=")) {
                ones += x[c];
            }
        }
        assertThat(ones).isEqualTo(13f); // 13 nominal attributes, one value each
        int age = encoding.numericColumn("age");
        assertThat(x[age]).isEqualTo((float) row[data.features().indexOf(data.features().get(12))]);
        row[12] = Double.NaN;
        row[0] = Double.NaN;
        float[] missing = encoding.encode(row);
        assertThat(missing[age]).isEqualTo(encoding.mean()[age]);
        assertThat(missing[0] + missing[1] + missing[2] + missing[3]).isZero();
        assertThat(CreditModels.auc(new float[] {0.9f, 0.1f, 0.5f}, new int[] {1, 0, 0}))
                .isEqualTo(1.0);
        assertThat(CreditModels.auc(new float[] {0.1f, 0.9f}, new int[] {1, 0})).isZero();
    }
}
