package io.mlguard.demo.server;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.TensorInfo;
import java.util.Arrays;

/**
 * Name, datatype and shape of one model input or output, as reported in model metadata. A dimension
 * of -1 is symbolic (any size).
 *
 * @param name tensor name in the graph
 * @param datatype protocol datatype, or {@code null} if the model uses one the protocol lacks
 * @param shape dimensions, -1 where symbolic
 */
public record TensorSpec(String name, Datatype datatype, long[] shape) {

    /** Reads the spec of a graph input or output from ONNX Runtime. */
    static TensorSpec of(NodeInfo node) {
        if (node.getInfo() instanceof TensorInfo info) {
            long[] shape = info.getShape().clone();
            for (int i = 0; i < shape.length; i++) {
                // ORT reports symbolic dimensions as -1 already; normalise anything negative
                if (shape[i] < 0) {
                    shape[i] = -1;
                }
            }
            return new TensorSpec(node.getName(), Datatype.of(info.type), shape);
        }
        return new TensorSpec(node.getName(), null, new long[0]);
    }

    /** Whether a client's concrete shape fits this spec (same rank, fixed dimensions equal). */
    boolean accepts(long[] concrete) {
        if (concrete.length != shape.length) {
            return false;
        }
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] >= 0 && shape[i] != concrete[i]) {
                return false;
            }
        }
        return true;
    }

    /** The shape as the protocol prints it, e.g. {@code [-1,784]}. */
    String shapeText() {
        return Arrays.toString(shape).replace(" ", "");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorSpec other
                && name.equals(other.name)
                && datatype == other.datatype
                && Arrays.equals(shape, other.shape);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * name.hashCode() + (datatype == null ? 0 : datatype.hashCode()))
                + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + ":" + datatype + shapeText();
    }
}
