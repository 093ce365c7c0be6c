package io.mlguard.demo.model;

import static io.mlguard.demo.model.OnnxExporter.floats;
import static io.mlguard.demo.model.OnnxExporter.intAttr;
import static io.mlguard.demo.model.OnnxExporter.node;
import static io.mlguard.demo.model.OnnxExporter.tensorInfo;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;

/**
 * Writes a {@link CreditClassifier} as ONNX: {@code input} float[batch,D] -> Sub(mean) ->
 * Mul(scale) -> Gemm -> Softmax -> {@code probabilities} float[batch,2], and ArgMax -> {@code
 * label} int64[batch]. The standardisation is part of the graph so that clients send raw values.
 */
public final class CreditOnnxExporter {
    private CreditOnnxExporter() {}

    /** The serialized ONNX model. */
    public static byte[] toBytes(CreditClassifier model) {
        return toProto(model).toByteArray();
    }

    /** The ONNX model as a protobuf message. */
    public static ModelProto toProto(CreditClassifier model) {
        int width = model.encoding().width();
        int outputs = CreditClassifier.OUTPUTS;
        GraphProto graph =
                GraphProto.newBuilder()
                        .setName("credit_logreg")
                        .addInput(tensorInfo(OnnxExporter.INPUT, TensorProto.DataType.FLOAT, width))
                        .addOutput(
                                tensorInfo(
                                        OnnxExporter.PROBABILITIES,
                                        TensorProto.DataType.FLOAT,
                                        outputs))
                        .addOutput(tensorInfo(OnnxExporter.LABEL, TensorProto.DataType.INT64, -1))
                        .addInitializer(floats("MEAN", model.encoding().mean(), width))
                        .addInitializer(floats("SCALE", model.encoding().scale(), width))
                        .addInitializer(floats("W", model.w, width, outputs))
                        .addInitializer(floats("B", model.b, outputs))
                        .addNode(
                                node(
                                        "Sub",
                                        "centre",
                                        new String[] {OnnxExporter.INPUT, "MEAN"},
                                        "centred"))
                        .addNode(node("Mul", "scale", new String[] {"centred", "SCALE"}, "z"))
                        .addNode(node("Gemm", "gemm", new String[] {"z", "W", "B"}, "logits"))
                        .addNode(
                                node(
                                                "Softmax",
                                                "softmax",
                                                new String[] {"logits"},
                                                OnnxExporter.PROBABILITIES)
                                        .addAttribute(intAttr("axis", 1)))
                        .addNode(
                                node(
                                                "ArgMax",
                                                "argmax",
                                                new String[] {OnnxExporter.PROBABILITIES},
                                                OnnxExporter.LABEL)
                                        .addAttribute(intAttr("axis", 1))
                                        .addAttribute(intAttr("keepdims", 0)))
                        .build();
        return ModelProto.newBuilder()
                .setIrVersion(OnnxExporter.IR_VERSION)
                .addOpsetImport(
                        OperatorSetIdProto.newBuilder()
                                .setDomain("")
                                .setVersion(OnnxExporter.OPSET))
                .setProducerName("mlguard-demo")
                .setProducerVersion("1")
                .setModelVersion(1)
                .setDocString(
                        "German credit risk: "
                                + width
                                + " columns -> logistic regression -> good/bad")
                .setGraph(graph)
                .build();
    }
}
