package io.mlguard.demo.server;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/** JSON bodies of the Open Inference Protocol v2 answers, serialized by Jackson. */
public final class Messages {
    private Messages() {}

    /** {@code {"error": "..."}}, the body of every failed request. */
    public record Error(String error) {}

    /** Name, datatype and shape of a model input or output. */
    @JsonPropertyOrder({"name", "datatype", "shape"})
    public record TensorMetadata(String name, String datatype, long[] shape) {
        static TensorMetadata of(TensorSpec spec) {
            String type = spec.datatype() == null ? "UNSUPPORTED" : spec.datatype().name();
            return new TensorMetadata(spec.name(), type, spec.shape());
        }
    }

    /** Answer to {@code GET /v2/models/{name}}. */
    @JsonPropertyOrder({"name", "versions", "platform", "inputs", "outputs"})
    public record ModelMetadata(
            String name,
            List<String> versions,
            String platform,
            List<TensorMetadata> inputs,
            List<TensorMetadata> outputs) {
        static ModelMetadata of(LoadedModel model) {
            return new ModelMetadata(
                    model.name(),
                    List.of(Long.toString(model.version())),
                    "onnxruntime_onnx",
                    model.inputs().stream().map(TensorMetadata::of).toList(),
                    model.outputs().stream().map(TensorMetadata::of).toList());
        }
    }

    /** One output tensor; {@code data} is a flat primitive array in row-major order. */
    @JsonPropertyOrder({"name", "shape", "datatype", "data"})
    public record OutputTensor(String name, long[] shape, String datatype, Object data) {}

    /** Answer to an inference request. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"model_name", "model_version", "id", "outputs"})
    public record InferResponse(
            @JsonProperty("model_name") String modelName,
            @JsonProperty("model_version") String modelVersion,
            String id,
            List<OutputTensor> outputs) {}

    /** Answer to the readiness and liveness probes. */
    public record Ready(boolean ready) {}

    /** Answer to the liveness probe. */
    public record Live(boolean live) {}

    /** Answer to {@code GET /v2/models/{name}/ready}. */
    public record ModelReady(String name, boolean ready) {}

    /** Answer to {@code GET /v2}. */
    public record ServerMetadata(String name, String version, List<String> extensions) {}
}
