package io.mlguard.demo.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A validated inference request: every model input present once, with a datatype and shape the
 * model accepts and exactly as many values as the shape needs. All checks happen here, before any
 * tensor is created, so that client mistakes become 400s with a message instead of ONNX Runtime
 * errors.
 *
 * @param id the client's request id, echoed back; may be {@code null}
 * @param inputs one entry per model input
 * @param requestedOutputs output names the client asked for; empty means all
 */
record InferenceRequest(String id, List<InputData> inputs, Set<String> requestedOutputs) {

    /**
     * One input's values.
     *
     * @param spec the model input it feeds
     * @param shape the concrete shape sent by the client
     * @param data {@code float[]}, {@code double[]}, {@code int[]} or {@code long[]}
     */
    record InputData(TensorSpec spec, long[] shape, Object data) {}

    static InferenceRequest parse(JsonNode root, LoadedModel model) {
        if (root == null || !root.isObject()) {
            throw ApiException.badRequest("request body must be a JSON object");
        }
        JsonNode idNode = root.get("id");
        String id = null;
        if (idNode != null && !idNode.isNull()) {
            if (!idNode.isValueNode()) {
                throw ApiException.badRequest("\"id\" must be a string");
            }
            id = idNode.asText();
        }
        JsonNode inputsNode = root.get("inputs");
        if (inputsNode == null || !inputsNode.isArray() || inputsNode.isEmpty()) {
            throw ApiException.badRequest("\"inputs\" must be a non-empty array");
        }
        List<InputData> inputs = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (JsonNode input : inputsNode) {
            InputData data = TensorDecoder.decode(input, model);
            if (!seen.add(data.spec().name())) {
                throw ApiException.badRequest("input '" + data.spec().name() + "' given twice");
            }
            inputs.add(data);
        }
        for (TensorSpec spec : model.inputs()) {
            if (!seen.contains(spec.name())) {
                throw ApiException.badRequest("missing input '" + spec.name() + "'");
            }
        }
        return new InferenceRequest(id, inputs, requestedOutputs(root.get("outputs"), model));
    }

    private static Set<String> requestedOutputs(JsonNode outputs, LoadedModel model) {
        Set<String> names = new HashSet<>();
        if (outputs == null || outputs.isNull()) {
            return names;
        }
        if (!outputs.isArray()) {
            throw ApiException.badRequest("\"outputs\" must be an array");
        }
        Set<String> known = new HashSet<>();
        model.outputs().forEach(o -> known.add(o.name()));
        for (JsonNode output : outputs) {
            JsonNode name = output.get("name");
            if (name == null || !name.isTextual()) {
                throw ApiException.badRequest("each requested output needs a \"name\"");
            }
            if (!known.contains(name.asText())) {
                throw ApiException.badRequest(
                        "unknown output '" + name.asText() + "' (model has " + known + ")");
            }
            names.add(name.asText());
        }
        return names;
    }
}
