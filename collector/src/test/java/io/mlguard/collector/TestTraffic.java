package io.mlguard.collector;

import io.mlguard.protocol.DType;
import io.mlguard.protocol.InferenceRecord;
import io.mlguard.protocol.TensorSummary;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Synthetic inference records with chosen summary statistics, outputs and fingerprints. */
public final class TestTraffic {
    private TestTraffic() {}

    /**
     * An OK record with input statistics (mean, std, l2, zero fraction), a classifier output
     * (class, confidence) and a latency.
     */
    public static InferenceRecord classified(
            String model,
            String client,
            long time,
            double inputMean,
            double inputStd,
            int predicted,
            double confidence,
            long latencyNanos) {
        return classifiedInto(
                TestRecords.inference(model, client, time, 0, 1),
                inputMean,
                inputStd,
                predicted,
                confidence,
                latencyNanos);
    }

    /**
     * Overwrites the statistics, output and latency of a record made by {@link #classified}, so a
     * test of a million records need not allocate a million records.
     */
    public static InferenceRecord classifiedInto(
            InferenceRecord r,
            double inputMean,
            double inputStd,
            int predicted,
            double confidence,
            long latencyNanos) {
        r.outcome = io.mlguard.protocol.Outcome.OK;
        TensorSummary in = r.inputs[0];
        in.mean = inputMean;
        in.std = inputStd;
        in.l2Norm = Math.sqrt(4 * (inputMean * inputMean + inputStd * inputStd));
        in.zeroFraction = 0;
        r.latencyNanos = latencyNanos;
        r.outputCount = 1;
        TensorSummary out = r.outputs[0];
        out.name = "probabilities";
        out.dtype = DType.FLOAT32;
        out.count = 10;
        out.topK = 2;
        out.topClasses[0] = predicted;
        out.topScores[0] = (float) confidence;
        out.topClasses[1] = (predicted + 1) % 10;
        out.topScores[1] = (float) ((1 - confidence) / 2);
        out.margin = out.topScores[0] - out.topScores[1];
        double rest = Math.max(1e-9, 1 - confidence);
        out.entropy = (float) (-confidence * Math.log(confidence) - rest * Math.log(rest / 9));
        return r;
    }

    /** A record whose input has the given 64-byte fingerprint. */
    public static InferenceRecord withFingerprint(
            String model, String client, long time, byte[] fingerprint) {
        InferenceRecord r = TestRecords.inference(model, client, time, 0, 1);
        r.fingerprintKind = InferenceRecord.FINGERPRINT_POOLED_2D;
        System.arraycopy(fingerprint, 0, r.fingerprint, 0, fingerprint.length);
        r.fingerprintLength = fingerprint.length;
        return r;
    }

    /** The fingerprints of 300 held-out MNIST digits (see the resource's header). */
    public static List<byte[]> mnistFingerprints() {
        List<byte[]> out = new ArrayList<>();
        try (BufferedReader in =
                new BufferedReader(
                        new InputStreamReader(
                                TestTraffic.class.getResourceAsStream(
                                        "/mnist-heldout-fingerprints.txt"),
                                StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (!line.startsWith("#") && !line.isBlank()) {
                    out.add(HexFormat.of().parseHex(line.substring(line.indexOf(' ') + 1)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (out.size() != 300) {
            throw new IllegalStateException("expected 300 fingerprints, read " + out.size());
        }
        return out;
    }
}
