package io.mlguard.demo.model;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Writes an {@link Mlp} as an ONNX model: {@code input} float[batch,784] -> Gemm -> Relu -> Gemm ->
 * Softmax -> {@code probabilities} float[batch,10], and ArgMax -> {@code label} int64[batch].
 */
public final class OnnxExporter {
    /** Name of the model's input. */
    public static final String INPUT = "input";

    /** Name of the probabilities output. */
    public static final String PROBABILITIES = "probabilities";

    /** Name of the predicted-class output. */
    public static final String LABEL = "label";

    // IR 8 / opset 17 are understood by every ONNX Runtime from 1.14 on
    static final long IR_VERSION = 8;
    static final long OPSET = 17;
    private static final String BATCH = "batch";

    private OnnxExporter() {}

    /** The serialized ONNX model. Same weights give the same bytes. */
    public static byte[] toBytes(Mlp model) {
        return toProto(model).toByteArray();
    }

    /** The ONNX model as a protobuf message. */
    public static ModelProto toProto(Mlp model) {
        GraphProto graph =
                GraphProto.newBuilder()
                        .setName("mnist_mlp")
                        .addInput(tensorInfo(INPUT, TensorProto.DataType.FLOAT, Mlp.INPUTS))
                        .addOutput(
                                tensorInfo(PROBABILITIES, TensorProto.DataType.FLOAT, Mlp.OUTPUTS))
                        .addOutput(tensorInfo(LABEL, TensorProto.DataType.INT64, -1))
                        .addInitializer(floats("W1", model.w1, Mlp.INPUTS, Mlp.HIDDEN))
                        .addInitializer(floats("B1", model.b1, Mlp.HIDDEN))
                        .addInitializer(floats("W2", model.w2, Mlp.HIDDEN, Mlp.OUTPUTS))
                        .addInitializer(floats("B2", model.b2, Mlp.OUTPUTS))
                        .addNode(node("Gemm", "gemm1", new String[] {INPUT, "W1", "B1"}, "h_pre"))
                        .addNode(node("Relu", "relu1", new String[] {"h_pre"}, "hidden"))
                        .addNode(
                                node(
                                        "Gemm",
                                        "gemm2",
                                        new String[] {"hidden", "W2", "B2"},
                                        "logits"))
                        .addNode(
                                node("Softmax", "softmax", new String[] {"logits"}, PROBABILITIES)
                                        .addAttribute(intAttr("axis", 1)))
                        .addNode(
                                node("ArgMax", "argmax", new String[] {PROBABILITIES}, LABEL)
                                        .addAttribute(intAttr("axis", 1))
                                        .addAttribute(intAttr("keepdims", 0)))
                        .build();
        return ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setProducerName("mlguard-demo")
                .setProducerVersion("1")
                .setModelVersion(1)
                .setDocString("MNIST digit classifier: 784 -> 128 (ReLU) -> 10 (softmax)")
                .setGraph(graph)
                .build();
    }

    /**
     * A [batch] or [batch, width] tensor description; {@code width < 0} means rank 1. The batch
     * dimension is symbolic so that clients may send any number of digits at once.
     */
    static ValueInfoProto tensorInfo(String name, TensorProto.DataType type, int width) {
        TensorShapeProto.Builder shape =
                TensorShapeProto.newBuilder()
                        .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(BATCH));
        if (width >= 0) {
            shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(width));
        }
        TypeProto.Tensor tensor =
                TypeProto.Tensor.newBuilder().setElemType(type.getNumber()).setShape(shape).build();
        return ValueInfoProto.newBuilder()
                .setName(name)
                .setType(TypeProto.newBuilder().setTensorType(tensor))
                .build();
    }

    /** An initializer whose values are stored as raw little-endian floats, as ONNX requires. */
    static TensorProto floats(String name, float[] values, long... dims) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES);
        bytes.order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(values);
        TensorProto.Builder tensor =
                TensorProto.newBuilder()
                        .setName(name)
                        .setDataType(TensorProto.DataType.FLOAT.getNumber())
                        .setRawData(ByteString.copyFrom(bytes.array()));
        for (long dim : dims) {
            tensor.addDims(dim);
        }
        return tensor.build();
    }

    static NodeProto.Builder node(String op, String name, String[] inputs, String output) {
        NodeProto.Builder node =
                NodeProto.newBuilder().setOpType(op).setName(name).addOutput(output);
        for (String input : inputs) {
            node.addInput(input);
        }
        return node;
    }

    static AttributeProto intAttr(String name, long value) {
        return AttributeProto.newBuilder()
                .setName(name)
                .setType(AttributeProto.AttributeType.INT)
                .setI(value)
                .build();
    }
}
