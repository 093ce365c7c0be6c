package io.mlguard.demo.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.mlguard.demo.TestModels;
import io.mlguard.demo.data.Dataset;
import io.mlguard.demo.data.MnistData;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxExporterTest {
    @TempDir Path dir;

    @Test
    void writesTheDeclaredGraph() throws Exception {
        ModelProto proto = ModelProto.parseFrom(TestModels.normal().onnxBytes());
        assertThat(proto.getIrVersion()).isEqualTo(8);
        assertThat(proto.getOpsetImport(0).getDomain()).isEmpty();
        assertThat(proto.getOpsetImport(0).getVersion()).isEqualTo(17);
        assertThat(proto.getProducerName()).isEqualTo("mlguard-demo");
        assertThat(proto.getModelVersion()).isEqualTo(1);
        assertThat(proto.getGraph().getName()).isEqualTo("mnist_mlp");
        assertThat(proto.getGraph().getNodeList())
                .extracting(n -> n.getOpType())
                .containsExactly("Gemm", "Relu", "Gemm", "Softmax", "ArgMax");
        assertThat(proto.getGraph().getInitializerList())
                .allSatisfy(t -> assertThat(t.getRawData().size()).isPositive());
        assertThat(
                        proto.getGraph()
                                .getInput(0)
                                .getType()
                                .getTensorType()
                                .getShape()
                                .getDim(0)
                                .getDimParam())
                .isEqualTo("batch");
    }

    @Test
    void onnxRuntimeAgreesWithTheJavaForwardPass() throws Exception {
        Mlp mlp = TestModels.normal().model();
        Path file = ModelFiles.modelPath(dir, "mnist", 1);
        ModelFiles.writeAtomically(file, OnnxExporter.toBytes(mlp));
        Dataset test = MnistData.load().heldOut();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        int correct = 0;
        try (OrtSession session =
                env.createSession(file.toString(), new OrtSession.SessionOptions())) {
            TensorInfo in = (TensorInfo) session.getInputInfo().get("input").getInfo();
            assertThat(in.getShape()).containsExactly(-1, 784);
            int batch = 500;
            for (int start = 0; start < test.size(); start += batch) {
                float[] flat = new float[batch * 784];
                for (int b = 0; b < batch; b++) {
                    System.arraycopy(test.image(start + b), 0, flat, b * 784, 784);
                }
                try (OnnxTensor input =
                                OnnxTensor.createTensor(
                                        env, FloatBuffer.wrap(flat), new long[] {batch, 784});
                        OrtSession.Result result = session.run(Map.of("input", input))) {
                    float[][] probabilities =
                            (float[][]) result.get("probabilities").orElseThrow().getValue();
                    long[] labels = (long[]) result.get("label").orElseThrow().getValue();
                    for (int b = 0; b < batch; b++) {
                        float[] expected = mlp.probabilities(test.image(start + b));
                        for (int k = 0; k < 10; k++) {
                            assertThat(probabilities[b][k]).isCloseTo(expected[k], within(1e-4f));
                        }
                        assertThat(labels[b]).isEqualTo(mlp.predict(test.image(start + b)));
                        if (labels[b] == test.label(start + b)) {
                            correct++;
                        }
                    }
                }
            }
        }
        double accuracy = correct / (double) test.size();
        assertThat(accuracy)
                .isEqualTo(TestModels.normal().heldOutAccuracy())
                .isGreaterThanOrEqualTo(0.95);
    }
}
