package io.mlguard.collector;

import io.mlguard.protocol.ClientIdSource;
import io.mlguard.protocol.DType;
import io.mlguard.protocol.InferenceRecord;
import io.mlguard.protocol.ModelLoadRecord;
import io.mlguard.protocol.Outcome;
import io.mlguard.protocol.TensorSummary;

/** Test records with known values. */
public final class TestRecords {
    public static final long T0 = 1_700_000_000_000L;

    private TestRecords() {}

    /** An OK inference of {@code model} by {@code client} with one FLOAT32 input in [min, max]. */
    public static InferenceRecord inference(
            String model, String client, long time, double min, double max) {
        InferenceRecord r = new InferenceRecord();
        r.timestampMillis = time;
        r.latencyNanos = 20_000;
        r.agentId = "1@test";
        r.runtime = "onnxruntime";
        r.modelId = model;
        r.outcome = Outcome.OK;
        r.clientIdSource = client == null ? ClientIdSource.NONE : ClientIdSource.HEADER;
        r.clientId = client;
        r.batchSize = 1;
        r.inputCount = 1;
        TensorSummary in = r.inputs[0];
        in.matrix("input", DType.FLOAT32, 1, 4);
        in.min = min;
        in.max = max;
        in.mean = (min + max) / 2;
        return r;
    }

    /** As {@link #inference}, with NaN and Inf counts on the input. */
    public static InferenceRecord nanInference(String model, String client, long time) {
        InferenceRecord r = inference(model, client, time, 0, 1);
        r.inputs[0].nanCount = 2;
        r.inputs[0].infCount = 1;
        return r;
    }

    public static ModelLoadRecord load(String model, String sha256, long time) {
        ModelLoadRecord m = new ModelLoadRecord();
        m.timestampMillis = time;
        m.loadNanos = 1_000_000;
        m.agentId = "1@test";
        m.runtime = "onnxruntime";
        m.modelId = model;
        m.source = "/models/" + model + "/model.onnx";
        m.sha256 = sha256;
        m.sizeBytes = 409_600;
        m.outcome = Outcome.OK;
        return m;
    }

    /** A 64-hex SHA-256 made of one repeated byte, e.g. {@code sha('a')}. */
    public static String sha(char c) {
        return String.valueOf(c).repeat(64);
    }
}
