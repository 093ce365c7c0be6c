package io.mlguard.demo.server;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.mlguard.demo.server.InferenceRequest.InputData;
import io.mlguard.demo.server.Messages.InferResponse;
import io.mlguard.demo.server.Messages.OutputTensor;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a validated request through a model's ONNX Runtime session on the calling thread. Running on
 * the HTTP handler thread is deliberate: whoever observes the process can then tie each inference
 * to the request that caused it.
 */
final class InferenceRunner {
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();

    InferResponse run(LoadedModel model, InferenceRequest request) throws OrtException {
        Map<String, OnnxTensor> inputs = new LinkedHashMap<>();
        try {
            for (InputData input : request.inputs()) {
                inputs.put(input.spec().name(), tensor(input));
            }
            try (OrtSession.Result result = model.session().run(inputs)) {
                List<OutputTensor> outputs = new ArrayList<>();
                for (Map.Entry<String, OnnxValue> entry : result) {
                    String name = entry.getKey();
                    if (request.requestedOutputs().isEmpty()
                            || request.requestedOutputs().contains(name)) {
                        outputs.add(output(name, entry.getValue()));
                    }
                }
                return new InferResponse(
                        model.name(), Long.toString(model.version()), request.id(), outputs);
            }
        } finally {
            for (OnnxTensor tensor : inputs.values()) {
                tensor.close();
            }
        }
    }

    private OnnxTensor tensor(InputData input) throws OrtException {
        Object data = input.data();
        long[] shape = input.shape();
        if (data instanceof float[] f) {
            return OnnxTensor.createTensor(env, FloatBuffer.wrap(f), shape);
        } else if (data instanceof double[] d) {
            return OnnxTensor.createTensor(env, DoubleBuffer.wrap(d), shape);
        } else if (data instanceof int[] i) {
            return OnnxTensor.createTensor(env, IntBuffer.wrap(i), shape);
        } else if (data instanceof long[] l) {
            return OnnxTensor.createTensor(env, LongBuffer.wrap(l), shape);
        }
        throw new IllegalStateException("unexpected input data " + data.getClass());
    }

    private static OutputTensor output(String name, OnnxValue value) {
        if (!(value instanceof OnnxTensor tensor)) {
            throw new ApiException(500, "output '" + name + "' is not a tensor");
        }
        TensorInfo info = tensor.getInfo();
        long[] shape = info.getShape();
        Datatype datatype = Datatype.of(info.type);
        Object data;
        switch (info.type) {
            case FLOAT -> {
                FloatBuffer buffer = tensor.getFloatBuffer();
                float[] values = new float[buffer.remaining()];
                buffer.get(values);
                data = values;
            }
            case DOUBLE -> {
                DoubleBuffer buffer = tensor.getDoubleBuffer();
                double[] values = new double[buffer.remaining()];
                buffer.get(values);
                data = values;
            }
            case INT32 -> {
                IntBuffer buffer = tensor.getIntBuffer();
                int[] values = new int[buffer.remaining()];
                buffer.get(values);
                data = values;
            }
            case INT64 -> {
                LongBuffer buffer = tensor.getLongBuffer();
                long[] values = new long[buffer.remaining()];
                buffer.get(values);
                data = values;
            }
            default ->
                    throw new ApiException(
                            500, "output '" + name + "' has unsupported type " + info.type);
        }
        return new OutputTensor(name, shape, datatype.name(), data);
    }
}
