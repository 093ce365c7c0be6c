package io.mlguard.benchmarks;

import io.mlguard.collector.detect.DriftDetector;
import io.mlguard.collector.detect.SignalSink;
import io.mlguard.collector.profile.ProfileTracker;
import io.mlguard.protocol.InferenceRecord;
import io.mlguard.protocol.TensorSummary;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The drift detector alone over {@link SyntheticTraffic} (not a test; a focused measure of the
 * per-record cost that {@link CollectorThroughput} spreads over every detector): decodes {@code
 * distinct} records once into memory, as the few fields drift reads (a decoded record takes ~40 kB:
 * so many would not stay in the caches, where the collector's one reused record does), and copies
 * each into one reused record before the detector reads it; builds the models' profiles from the
 * first ones as the collector does (a {@link ProfileTracker} of 1,000 records per model), then,
 * {@code iterations} times, runs a fresh {@link DriftDetector} (window 500, ARL0 10^6, the
 * collector's) over all of {@code records} of them and prints the thread's CPU nanoseconds per
 * record, the signals raised and a hash of the detector's saved state, so two builds can be checked
 * to answer alike. Ends with the median of the iterations after the first two (warm-up).
 *
 * <p>Usage: {@code DriftOnly [records] [distinct] [clients] [iterations]} (clients at least 4,908:
 * the attackers' ids)
 */
public final class DriftOnly {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private DriftOnly() {}

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 400_000;
        int distinct = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        int clients = args.length > 2 ? Integer.parseInt(args[2]) : 5_000;
        int iterations = args.length > 3 ? Integer.parseInt(args[3]) : 10;
        // "discrete": credit features rounded to five levels, as categorical features are
        boolean discrete = args.length > 4 && args[4].equals("discrete");
        SyntheticTraffic traffic = new SyntheticTraffic(clients, 42);
        Snapshot[] records = new Snapshot[distinct];
        for (int i = 0; i < distinct; i++) {
            records[i] = new Snapshot(traffic.record(i), discrete);
        }
        InferenceRecord r = new InferenceRecord();
        SignalSink none = s -> {};
        ProfileTracker profiles = new ProfileTracker(1_000, List.of());
        for (int i = 0; i < distinct; i++) {
            records[i].into(r);
            profiles.onInference(r, i, none);
        }
        List<Double> nsPerRecord = new ArrayList<>();
        for (int it = 1; it <= iterations; it++) {
            DriftDetector drift = new DriftDetector(profiles, 500, 1_000_000);
            long[] signals = new long[1];
            SignalSink count = s -> signals[0]++;
            long start = THREADS.getCurrentThreadCpuTime();
            for (int i = 0, j = 0; i < n; i++, j = j + 1 == distinct ? 0 : j + 1) {
                records[j].into(r);
                drift.onInference(r, i, count);
            }
            double ns = (double) (THREADS.getCurrentThreadCpuTime() - start) / n;
            nsPerRecord.add(ns);
            System.out.printf(
                    Locale.ROOT,
                    "iteration %d: %.1f ns per record, %d signals, state hash %08x%n",
                    it,
                    ns,
                    signals[0],
                    drift.saveState().hashCode());
        }
        List<Double> measured = new ArrayList<>(nsPerRecord.subList(2, nsPerRecord.size()));
        Collections.sort(measured);
        System.out.printf(
                Locale.ROOT,
                "median of iterations 3..%d: %.1f ns per record (min %.1f, max %.1f)%n",
                iterations,
                measured.get(measured.size() / 2),
                measured.get(0),
                measured.get(measured.size() - 1));
    }

    /** What the drift detector (and its repeat filter) reads of a record. */
    private static final class Snapshot {
        final long timestampMillis;
        final String modelId;
        final String clientId;
        final int fingerprintKind;
        final byte[] fingerprint;
        final float[] features;
        final long count;
        final double mean;
        final double std;
        final double l2Norm;
        final float zeroFraction;
        final int[] topClasses = new int[2];
        final float[] topScores = new float[2];
        final float margin;
        final float entropy;

        Snapshot(InferenceRecord r, boolean discrete) {
            timestampMillis = r.timestampMillis;
            modelId = r.modelId;
            clientId = r.clientId;
            fingerprintKind = r.fingerprintKind;
            fingerprint = java.util.Arrays.copyOf(r.fingerprint, r.fingerprintLength);
            features = java.util.Arrays.copyOf(r.features, r.featureCount);
            for (int f = 0; f < features.length && discrete; f++) {
                features[f] = Math.round(features[f] * 2) / 2f; // -1, -0.5, 0, 0.5, 1
            }
            TensorSummary in = r.inputs[0];
            count = in.count;
            mean = in.mean;
            std = in.std;
            l2Norm = in.l2Norm;
            zeroFraction = in.zeroFraction;
            TensorSummary out = r.outputs[0];
            System.arraycopy(out.topClasses, 0, topClasses, 0, 2);
            System.arraycopy(out.topScores, 0, topScores, 0, 2);
            margin = out.margin;
            entropy = out.entropy;
        }

        void into(InferenceRecord r) {
            r.timestampMillis = timestampMillis;
            r.outcome = io.mlguard.protocol.Outcome.OK;
            r.batchSize = 1;
            r.modelId = modelId;
            r.clientId = clientId;
            r.fingerprintKind = fingerprintKind;
            r.fingerprintLength = fingerprint.length;
            System.arraycopy(fingerprint, 0, r.fingerprint, 0, fingerprint.length);
            r.featureCount = features.length;
            System.arraycopy(features, 0, r.features, 0, features.length);
            r.inputCount = 1;
            TensorSummary in = r.inputs[0];
            in.dtype = io.mlguard.protocol.DType.FLOAT32;
            in.count = count;
            in.mean = mean;
            in.std = std;
            in.l2Norm = l2Norm;
            in.zeroFraction = zeroFraction;
            r.outputCount = 1;
            TensorSummary out = r.outputs[0];
            out.topK = 2;
            System.arraycopy(topClasses, 0, out.topClasses, 0, 2);
            System.arraycopy(topScores, 0, out.topScores, 0, 2);
            out.margin = margin;
            out.entropy = entropy;
        }
    }
}
