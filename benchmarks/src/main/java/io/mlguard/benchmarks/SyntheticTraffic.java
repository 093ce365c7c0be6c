package io.mlguard.benchmarks;

import io.mlguard.protocol.ClientIdSource;
import io.mlguard.protocol.DType;
import io.mlguard.protocol.InferenceRecord;
import io.mlguard.protocol.ModelLoadRecord;
import io.mlguard.protocol.Outcome;
import io.mlguard.protocol.TensorSummary;
import java.util.SplittableRandom;

/**
 * Records shaped like the demo server's: {@code mnist} (784 FLOAT32 inputs summarised, ten classes
 * out, a 64-cell pooled thumbnail as fingerprint) and {@code credit} (20 tabular features kept, two
 * classes out), from many distinct clients. Thumbnails are noisy copies of a few hundred prototypes
 * with empty borders, as pooled digits are; one client in a hundred is a query attacker who sends
 * near-duplicates of one image, so signals and incidents flow too. Deterministic for a seed.
 */
final class SyntheticTraffic {
    static final long T0 = 1_700_000_000_000L;
    static final String MNIST_SHA = "a".repeat(64);
    static final String CREDIT_SHA = "b".repeat(64);

    private static final int PROTOTYPES = 300;
    private final byte[][] prototypes = new byte[PROTOTYPES][64];
    private final String[] clientIds;
    private final SplittableRandom random;
    private final InferenceRecord r = new InferenceRecord();

    SyntheticTraffic(int clients, long seed) {
        random = new SplittableRandom(seed);
        clientIds = new String[clients];
        for (int c = 0; c < clients; c++) {
            // The agent ships a keyed hash of the client's address: 16 hex digits.
            clientIds[c] = String.format("%016x", random.nextLong());
        }
        for (byte[] p : prototypes) {
            for (int y = 1; y < 7; y++) {
                for (int x = 2; x < 6; x++) {
                    p[y * 8 + x] = (byte) (random.nextInt(4) == 0 ? 0 : 40 + random.nextInt(200));
                }
            }
        }
    }

    static ModelLoadRecord load(String model, String sha, long time) {
        ModelLoadRecord m = new ModelLoadRecord();
        m.timestampMillis = time;
        m.loadNanos = 2_000_000;
        m.agentId = "4242@bench";
        m.runtime = "onnxruntime";
        m.modelId = model;
        m.source = "/models/" + model + "/1/model.onnx";
        m.sha256 = sha;
        m.sizeBytes = 409_600;
        m.outcome = Outcome.OK;
        return m;
    }

    /** Record {@code i}, in a reused instance: write it before asking for the next. */
    InferenceRecord record(int i) {
        r.clear();
        r.timestampMillis = T0 + i / 20; // 20,000 inferences per second of record time
        r.latencyNanos = 15_000 + random.nextInt(10_000);
        r.agentId = "4242@bench";
        r.runtime = "onnxruntime";
        r.outcome = Outcome.OK;
        r.batchSize = 1;
        r.inputCount = 1;
        r.outputCount = 1;
        r.requestPath = "/v2/models/x/infer";
        // Every 50th query comes from one of 50 attackers, the rest from clients spread evenly.
        int client =
                i % 50 == 0
                        ? ((i / 50) % 50) * 100 + 7
                        : (int) ((i * 2_654_435_761L) % clientIds.length);
        boolean attacker = client % 100 == 7;
        r.clientIdSource = ClientIdSource.REMOTE_ADDRESS;
        r.clientId = clientIds[client];
        if (!attacker && i % 4 == 3) {
            credit(r);
        } else {
            mnist(r, attacker ? (client / 100) % PROTOTYPES : random.nextInt(PROTOTYPES), attacker);
        }
        return r;
    }

    private void mnist(InferenceRecord r, int prototype, boolean attacker) {
        r.modelId = "mnist";
        r.modelHashPrefix = ModelLoadRecord.hashPrefix(MNIST_SHA);
        TensorSummary in = r.inputs[0];
        in.matrix("input", DType.FLOAT32, 1, 784);
        in.min = 0;
        in.max = 1;
        in.mean = 0.12 + random.nextDouble() * 0.04;
        in.std = 0.3 + random.nextDouble() * 0.02;
        in.zeroFraction = 0.8f + (float) random.nextDouble() * 0.05f;
        in.l2Norm = 9 + random.nextDouble();
        r.fingerprintKind = InferenceRecord.FINGERPRINT_POOLED_2D;
        r.fingerprintLength = 64;
        byte[] p = prototypes[prototype];
        int noise = attacker ? 3 : 60; // an attack's queries differ by a few levels per cell
        for (int c = 0; c < 64; c++) {
            int v = (p[c] & 0xff) + (p[c] == 0 ? 0 : random.nextInt(2 * noise + 1) - noise);
            r.fingerprint[c] = (byte) Math.max(0, Math.min(255, v));
        }
        classifier(r.outputs[0], 10, prototype % 10);
    }

    private void credit(InferenceRecord r) {
        r.modelId = "credit";
        r.modelHashPrefix = ModelLoadRecord.hashPrefix(CREDIT_SHA);
        TensorSummary in = r.inputs[0];
        in.matrix("features", DType.FLOAT32, 1, 20);
        double sum = 0;
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        r.featureCount = 20;
        for (int f = 0; f < 20; f++) {
            float v = (float) (random.nextDouble() * 2 - 1);
            r.features[f] = v;
            sum += v;
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        in.min = min;
        in.max = max;
        in.mean = sum / 20;
        in.std = 0.57;
        in.l2Norm = 2.5;
        classifier(r.outputs[0], 2, random.nextInt(10) < 7 ? 0 : 1);
    }

    private void classifier(TensorSummary out, int classes, int top) {
        out.matrix("probabilities", DType.FLOAT32, 1, classes);
        float p = 0.6f + (float) random.nextDouble() * 0.39f;
        out.min = 0;
        out.max = p;
        out.mean = 1.0 / classes;
        out.topK = 2;
        out.topClasses[0] = top;
        out.topScores[0] = p;
        out.topClasses[1] = (top + 1) % classes;
        out.topScores[1] = (1 - p) * 0.7f;
        out.margin = out.topScores[0] - out.topScores[1];
        out.entropy = (float) (-p * Math.log(p) - (1 - p) * Math.log(Math.max(1e-6, 1 - p)));
    }
}
