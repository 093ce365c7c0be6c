package io.mlguard.instrumentation.onnxruntime;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** A 4-feature, 3-class linear softmax model written as ONNX, for tests. */
final class TinyOnnxModel {
    static final float[][] WEIGHTS = {
        {1f, 0f, -1f},
        {0f, 2f, 0f},
        {-1f, 0f, 1f},
        {0.5f, 0.5f, 0.5f}
    };

    private TinyOnnxModel() {}

    static Path write(Path file, float scale) throws Exception {
        ByteBuffer raw = ByteBuffer.allocate(4 * 3 * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float[] row : WEIGHTS) {
            for (float w : row) {
                raw.putFloat(w * scale);
            }
        }
        OnnxMl.GraphProto graph =
                OnnxMl.GraphProto.newBuilder()
                        .setName("tiny_linear")
                        .addInput(value("input", 4))
                        .addOutput(value("probabilities", 3))
                        .addInitializer(
                                OnnxMl.TensorProto.newBuilder()
                                        .setName("W")
                                        .addDims(4)
                                        .addDims(3)
                                        .setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber())
                                        .setRawData(ByteString.copyFrom(raw.array())))
                        .addNode(
                                OnnxMl.NodeProto.newBuilder()
                                        .setOpType("MatMul")
                                        .addInput("input")
                                        .addInput("W")
                                        .addOutput("logits"))
                        .addNode(
                                OnnxMl.NodeProto.newBuilder()
                                        .setOpType("Softmax")
                                        .addInput("logits")
                                        .addOutput("probabilities"))
                        .build();
        OnnxMl.ModelProto model =
                OnnxMl.ModelProto.newBuilder()
                        .setIrVersion(8)
                        .setProducerName("mlguard-test")
                        .addOpsetImport(
                                OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(17))
                        .setGraph(graph)
                        .build();
        Files.createDirectories(file.getParent());
        Files.write(file, model.toByteArray());
        return file;
    }

    private static OnnxMl.ValueInfoProto value(String name, int width) {
        OnnxMl.TensorShapeProto shape =
                OnnxMl.TensorShapeProto.newBuilder()
                        .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("batch"))
                        .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(width))
                        .build();
        return OnnxMl.ValueInfoProto.newBuilder()
                .setName(name)
                .setType(
                        OnnxMl.TypeProto.newBuilder()
                                .setTensorType(
                                        OnnxMl.TypeProto.Tensor.newBuilder()
                                                .setElemType(
                                                        OnnxMl.TensorProto.DataType.FLOAT
                                                                .getNumber())
                                                .setShape(shape)))
                .build();
    }
}
