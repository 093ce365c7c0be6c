package io.mlguard.collector.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlguard.collector.TestTraffic;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ExtractionDetectorTest {
    private final ExtractionDetector detector = new ExtractionDetector();
    private final List<Signal> signals = new ArrayList<>();
    private long index;

    private int send(List<byte[]> stream, String client) {
        int first = -1;
        for (int q = 0; q < stream.size(); q++) {
            int before = signals.size();
            detector.onInference(
                    TestTraffic.withFingerprint("mnist", client, 1000L * index, stream.get(q)),
                    index++,
                    signals::add);
            if (first < 0 && signals.size() > before) {
                first = q + 1;
            }
        }
        return first;
    }

    /**
     * A Jacobian-based-augmentation-like stream (Papernot et al.; PRADA's JbDA attackers): ten
     * natural seeds, then each new query a previous one moved by ±step on every cell.
     */
    static List<byte[]> jbda(int n, double step, long seed) {
        Random random = new Random(seed);
        List<double[]> pool = new ArrayList<>();
        for (int s = 0; s < 10; s++) {
            pool.add(QueryStreams.cells(QueryStreams.DIGITS.get(random.nextInt(300))));
        }
        List<byte[]> out = new ArrayList<>();
        for (double[] p : pool) {
            out.add(QueryStreams.clamp(p));
        }
        while (out.size() < n) {
            double[] base = pool.get(random.nextInt(pool.size()));
            double[] x = new double[base.length];
            for (int i = 0; i < x.length; i++) {
                x[i] = Math.max(0, Math.min(255, base[i] + (random.nextBoolean() ? step : -step)));
            }
            pool.add(x);
            out.add(QueryStreams.clamp(x));
        }
        return out;
    }

    @Test
    void extractionLikeStreamsAreFlaggedWithinAThousandQueries() {
        for (double step : new double[] {8, 16, 32}) {
            for (int seed = 0; seed < 3; seed++) {
                signals.clear();
                int at = send(jbda(1000, step, seed), "thief-" + step + "-" + seed);
                assertThat(at).as("step %s seed %d", step, seed).isBetween(1, 1000);
                Signal s = signals.get(0);
                assertThat(s.type()).isEqualTo(SignalType.EXTRACTION);
                assertThat((double) s.evidence().get("shapiroWilkW"))
                        .isLessThan(ExtractionDetector.W_THRESHOLD);
                // the histogram of the tested distances travels with the signal
                List<?> counts = (List<?>) s.evidence().get("distanceCounts");
                assertThat(counts).hasSize(ExtractionDetector.DISTANCE_BINS);
                assertThat(counts.stream().mapToLong(c -> (Long) c).sum())
                        .isEqualTo(((Number) s.evidence().get("distances")).longValue());
                assertThat((List<?>) s.evidence().get("distanceBinUpperEdges"))
                        .hasSize(ExtractionDetector.DISTANCE_BINS);
                System.out.println(
                        "extraction: step "
                                + step
                                + " seed "
                                + seed
                                + " flagged at query "
                                + at
                                + ", W="
                                + s.evidence().get("shapiroWilkW"));
            }
        }
    }

    @Test
    void benignStreamsAreNotFlagged() {
        for (int seed = 0; seed < 5; seed++) {
            assertThat(send(QueryStreams.independent(600, 10 + seed), "benign-" + seed))
                    .isEqualTo(-1);
        }
        assertThat(send(QueryStreams.DIGITS, "all-digits")).isEqualTo(-1);
        assertThat(send(QueryStreams.retries(600, 2), "retrier")).isEqualTo(-1);
        assertThat(send(QueryStreams.bursts(1000, 3), "video")).isEqualTo(-1);
        assertThat(signals).isEmpty();
    }

    /**
     * The demo's attack shape (PRADA's JbDA attackers): 200 natural seeds, then one synthetic query
     * per seed, each its seed moved by ±step on every cell, so every parent is 200 queries back,
     * beyond any window of recent queries.
     */
    static List<byte[]> seedsThenChildren(int seeds, double step, long seed) {
        Random random = new Random(seed);
        List<double[]> sent = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            if (i < seeds) {
                sent.add(QueryStreams.cells(QueryStreams.DIGITS.get(i)));
                continue;
            }
            double[] parent = sent.get(i - seeds); // a seed, then a child of the last round
            double[] x = new double[parent.length];
            for (int k = 0; k < x.length; k++) {
                x[k] =
                        Math.max(
                                0,
                                Math.min(255, parent[k] + (random.nextBoolean() ? step : -step)));
            }
            sent.add(x);
        }
        List<byte[]> out = new ArrayList<>();
        for (double[] x : sent) {
            out.add(QueryStreams.clamp(x));
        }
        return out;
    }

    @Test
    void childrenOfSeedsSentLongBeforeAreFlagged() {
        for (double step : new double[] {12, 24}) {
            signals.clear();
            int at = send(seedsThenChildren(200, step, 7), "thief-" + step);
            // nothing to see among the seeds; the first synthetic round gives it away
            assertThat(at).as("step %s", step).isBetween(201, 400);
            assertThat(signals.get(0).evidence())
                    .containsKey("classesCovered")
                    .containsEntry("clientQueries", (long) at);
            // no labels: one class, whose set holds at most 128 of the 200 seeds
            assertThat((Long) signals.get(0).evidence().get("keptQueries")).isBetween(64L, 128L);
        }
    }

    @Test
    void aHundredThousandClientsAreAllTracked() {
        List<byte[]> digits = QueryStreams.independent(2, 4);
        for (int c = 0; c < 100_000; c++) {
            for (byte[] f : digits) {
                detector.onInference(
                        TestTraffic.withFingerprint("mnist", "client-" + c, 0, f), 0, s -> {});
            }
        }
        assertThat(detector.trackedClients()).isEqualTo(ExtractionDetector.MAX_CLIENTS);
        assertThat(detector.clientEvictions()).isZero();
        detector.onInference(
                TestTraffic.withFingerprint("mnist", "one-more", 0, digits.get(0)), 0, s -> {});
        assertThat(detector.trackedClients()).isEqualTo(ExtractionDetector.MAX_CLIENTS);
        assertThat(detector.clientEvictions()).isEqualTo(1);
    }

    @Test
    void storedFingerprintsStayWithinTheirBudget() {
        ExtractionDetector small = new ExtractionDetector(Sensitivity.untuned(), 1_000, 2_000);
        List<byte[]> digits = QueryStreams.independent(400, 5);
        for (int c = 0; c < 40; c++) {
            for (byte[] f : digits) {
                small.onInference(
                        TestTraffic.withFingerprint("mnist", "client-" + c, 0, f), 0, s -> {});
                assertThat(small.storedFingerprints()).isLessThanOrEqualTo(2_000 + 2 * 128);
            }
        }
        assertThat(small.clientEvictions()).isPositive();
        assertThat(small.trackedClients()).isBetween(1, 40);
    }

    @Test
    void runningStoredCountsAreTheClientsSetsRecountedThroughEvictionsAndARestore() {
        // each client's stored count is kept as its sets grow, not read from them at eviction:
        // after every record it must equal a recount, and the total the detector's budget uses
        ExtractionDetector small = new ExtractionDetector(Sensitivity.untuned(), 60, 400);
        List<byte[]> digits = QueryStreams.independent(300, 9);
        Random random = new Random(13);
        for (int q = 0; q < 12_000; q++) {
            if (q == 6_000) {
                ExtractionDetector back = new ExtractionDetector(Sensitivity.untuned(), 60, 400);
                back.restoreState(small.saveState());
                assertThat(back.recountStored()).isEqualTo(back.storedFingerprints());
                small = back;
            }
            int client = random.nextInt(q < 3_000 ? 20 : 90);
            io.mlguard.protocol.InferenceRecord r =
                    TestTraffic.withFingerprint(
                            "mnist",
                            "client-" + client,
                            1000L * q,
                            digits.get(random.nextInt(digits.size())));
            r.outputCount = 1;
            r.outputs[0].topK = 1;
            r.outputs[0].topClasses[0] = random.nextInt(40);
            small.onInference(r, q, s -> {});
            assertThat(small.recountStored())
                    .as("record %d", q)
                    .isEqualTo(small.storedFingerprints());
        }
        assertThat(small.clientEvictions()).isPositive();
        // a budget below what the 60 clients store without it (about 600): it evicted too
        assertThat(small.storedFingerprints()).isBetween(200L, 400L + 2 * 128);
    }

    @Test
    void aRestoreCountsStoredFingerprintsAsTheLiveDetectorSoStorageEvictionsStayTheSame() {
        // a set's budget count grows 2, 4, 8, ... as entries come; a restore counted the entries
        // only (5 where the live set counted 8), so the restored detector evicted later
        ExtractionDetector live = new ExtractionDetector(Sensitivity.untuned(), 60, 400);
        ExtractionDetector back = null;
        List<byte[]> digits = QueryStreams.independent(300, 9);
        Random random = new Random(13);
        List<String> liveSignals = new ArrayList<>();
        List<String> backSignals = new ArrayList<>();
        for (int q = 0; q < 12_000; q++) {
            if (q == 6_000) {
                assertThat(live.clientEvictions()).isPositive();
                back = new ExtractionDetector(Sensitivity.untuned(), 60, 400);
                back.restoreState(live.saveState());
                assertThat(back.storedFingerprints()).isEqualTo(live.storedFingerprints());
            }
            io.mlguard.protocol.InferenceRecord r =
                    TestTraffic.withFingerprint(
                            "mnist",
                            "client-" + random.nextInt(q < 3_000 ? 20 : 90),
                            1000L * q,
                            digits.get(random.nextInt(digits.size())));
            r.outputCount = 1;
            r.outputs[0].topK = 1;
            r.outputs[0].topClasses[0] = random.nextInt(40);
            boolean after = back != null;
            List<String> sink = after ? liveSignals : new ArrayList<>();
            live.onInference(r, q, sig -> sink.add(sig.toString()));
            if (after) {
                back.onInference(r, q, s -> backSignals.add(s.toString()));
                assertThat(back.storedFingerprints())
                        .as("record %d", q)
                        .isEqualTo(live.storedFingerprints());
            }
        }
        assertThat(back.clientEvictions()).isEqualTo(live.clientEvictions());
        assertThat(back.saveState()).isEqualTo(live.saveState());
        assertThat(backSignals).isEqualTo(liveSignals);
    }
}
