package io.mlguard.collector.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlguard.protocol.InferenceRecord;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The Square attack on real MNIST digits through the agent's real fingerprints ({@link
 * SquareQueries}): its queries are far apart in L1, so the near-duplicate count misses it, and the
 * windowed test catches it; benign clients sending distinct digits pass both.
 */
class SquareAttackDetectionTest {
    private static final RealTraffic RT = RealTraffic.load();

    private static int l1(byte[] a, byte[] b) {
        int s = 0;
        for (int i = 0; i < 64; i++) {
            s += Math.abs((a[i] & 0xff) - (b[i] & 0xff));
        }
        return s;
    }

    /** 1-based query number of the client's first signal, or -1. */
    private static int firstSignal(QueryAttackDetector d, List<InferenceRecord> queries) {
        List<Signal> signals = new ArrayList<>();
        for (int q = 0; q < queries.size(); q++) {
            d.onInference(queries.get(q), q, signals::add);
            if (!signals.isEmpty()) {
                return q + 1;
            }
        }
        return -1;
    }

    @Test
    void squareRunsLongEnoughToCountAreFlaggedAndTheirQueriesAreNotNearDuplicates() {
        int runs = 200;
        int budget = 300;
        int countable = 0;
        int flagged = 0;
        int tooShort = 0;
        List<Integer> lengths = new ArrayList<>();
        List<Integer> flaggedAt = new ArrayList<>();
        List<Integer> missedLengths = new ArrayList<>();
        List<Integer> successiveL1 = new ArrayList<>();
        for (int k = 0; k < runs; k++) {
            int i = (k * 37) % RT.digits.size();
            List<InferenceRecord> q =
                    SquareQueries.run(
                            RT, RT.digits.get(i), RT.labels.get(i), 100 + k, budget, "square-" + k);
            lengths.add(q.size());
            for (int j = 1; j < q.size(); j++) {
                successiveL1.add(l1(q.get(j).fingerprint, q.get(j - 1).fingerprint));
            }
            int at = firstSignal(new QueryAttackDetector(), q);
            if (q.size() <= QueryAttackDetector.CLIENT_MATCHES) {
                tooShort++; // no count of 12 can see it: reported, not judged
                assertThat(at).isEqualTo(-1);
                continue;
            }
            countable++;
            if (at > 0) {
                flagged++;
                flaggedAt.add(at);
            } else {
                missedLengths.add(q.size());
            }
        }
        Collections.sort(lengths);
        Collections.sort(flaggedAt);
        Collections.sort(successiveL1);
        int limit = (int) (QueryAttackDetector.NEAR_PER_CELL * 64);
        long near = successiveL1.stream().filter(d -> d <= limit).count();
        System.out.printf(
                "square: %d runs, length median %d (p10 %d, p90 %d); %d of at most %d queries;"
                        + " %d flagged of %d longer runs, flagged at query median %d, p90 %d;"
                        + " successive L1 median %d (near-duplicate limit %d), %d of %d within;"
                        + " lengths of the missed runs %s%n",
                runs,
                lengths.get(runs / 2),
                lengths.get(runs / 10),
                lengths.get(runs * 9 / 10),
                tooShort,
                QueryAttackDetector.CLIENT_MATCHES,
                flagged,
                countable,
                flaggedAt.isEmpty() ? -1 : flaggedAt.get(flaggedAt.size() / 2),
                flaggedAt.isEmpty() ? -1 : flaggedAt.get(flaggedAt.size() * 9 / 10),
                successiveL1.get(successiveL1.size() / 2),
                limit,
                near,
                successiveL1.size(),
                missedLengths);
        assertThat(successiveL1.get(successiveL1.size() / 2)).isGreaterThan(limit);
        assertThat(countable).isGreaterThanOrEqualTo(runs / 2);
        // a run of 13 to ~20 queries holds barely 12 windowed ones (the first, clean to stripes,
        // is not): every run of at least 20 queries must be flagged, and 98 % of the rest
        assertThat(missedLengths).allMatch(n -> n < 20);
        assertThat(flagged).isGreaterThanOrEqualTo((int) Math.ceil(0.98 * countable));
        assertThat(flaggedAt.get(flaggedAt.size() / 2)).isLessThanOrEqualTo(50);
    }

    @Test
    void benignClientsSendingDistinctDigitsAreNotFlagged() {
        Random random = new Random(7);
        QueryAttackDetector d = new QueryAttackDetector();
        List<Signal> signals = new ArrayList<>();
        int clients = 400;
        int perClient = 64;
        long index = 0;
        for (int c = 0; c < clients; c++) {
            List<Integer> order = new ArrayList<>();
            if (c % 4 == 0) {
                int digit = c / 4 % 10; // a quarter of the clients send one class only
                for (int i = 0; i < RT.digits.size(); i++) {
                    if (RT.labels.get(i) == digit) {
                        order.add(i);
                    }
                }
            } else {
                for (int i = 0; i < RT.digits.size(); i++) {
                    order.add(i);
                }
            }
            Collections.shuffle(order, random);
            for (int q = 0; q < perClient; q++) {
                InferenceRecord r =
                        RT.digits("benign-" + c, 1_000_000L + index, RT.digits.get(order.get(q)));
                d.onInference(r, index++, signals::add);
            }
        }
        // every pair of the first 500 held-out digits: how many pass the windowed test
        List<byte[]> f = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            f.add(RT.digits("pairs", i, RT.digits.get(i * 4)).fingerprint.clone());
        }
        FingerprintRing ring = new FingerprintRing(1);
        int[] histogram = new int[511];
        long pairs = 0;
        long passing = 0;
        for (int i = 0; i < f.size(); i++) {
            ring.clear();
            ring.add(f.get(i), 64, 0, 0);
            for (int j = i + 1; j < f.size(); j++) {
                pairs++;
                int u =
                        ring.unchangedAt(
                                0,
                                f.get(j),
                                64,
                                QueryAttackDetector.WINDOW_TOLERANCE,
                                QueryAttackDetector.WINDOW_BLANK,
                                histogram);
                if (u >= QueryAttackDetector.WINDOW_UNCHANGED) {
                    passing++;
                }
            }
        }
        System.out.printf(
                "benign: %d per-client signals (%d across clients) on %d queries of %d clients;"
                        + " %d of %d distinct-digit pairs pass the windowed test%n",
                signals.stream().filter(s -> s.client() != null).count(),
                signals.stream().filter(s -> s.client() == null).count(),
                index,
                clients,
                passing,
                pairs);
        assertThat(pairs).isGreaterThanOrEqualTo(10_000);
        // the same held-out digits sent by many clients are account-free near-duplicates (exact
        // inputs replayed across ids): that is the index's check, not this one's
        assertThat(signals.stream().filter(s -> s.client() != null).count()).isZero();
        assertThat((double) passing / pairs).isLessThanOrEqualTo(0.001);
    }

    @Test
    void theWindowedCountSurvivesACheckpoint() {
        List<InferenceRecord> q = null;
        for (int k = 0; q == null || q.size() < 100; k++) {
            q =
                    SquareQueries.run(
                            RT,
                            RT.digits.get(k * 37),
                            RT.labels.get(k * 37),
                            100 + k,
                            100,
                            "square-cp");
        }
        int uninterrupted = firstSignal(new QueryAttackDetector(), q);
        assertThat(uninterrupted).isBetween(13, 50);
        QueryAttackDetector before = new QueryAttackDetector();
        int cut = uninterrupted - 3; // the register holds most of the evidence by then
        for (int i = 0; i < cut; i++) {
            before.onInference(q.get(i), i, s -> {});
        }
        QueryAttackDetector after = new QueryAttackDetector();
        after.restoreState(before.saveState());
        List<Signal> signals = new ArrayList<>();
        int at = -1;
        for (int i = cut; i < q.size() && at < 0; i++) {
            after.onInference(q.get(i), i, signals::add);
            if (!signals.isEmpty()) {
                at = i + 1;
            }
        }
        assertThat(at).isEqualTo(uninterrupted);
        assertThat(signals.get(0).reason()).isEqualTo("windowed_changes");
    }

    /** The model's reference: the even-numbered held-out digits, from ordinary clients. */
    private static List<InferenceRecord> reference() {
        List<InferenceRecord> out = new ArrayList<>();
        for (int i = 0; out.size() < InputProfile.WINDOW; i += 2) {
            out.add(RT.digits("reference-" + i % 5, i, RT.digits.get(i)));
        }
        return out;
    }

    private static QueryAttackDetector profiled(List<InferenceRecord> reference) {
        QueryAttackDetector d = new QueryAttackDetector();
        List<Signal> signals = new ArrayList<>();
        for (int i = 0; i < reference.size(); i++) {
            d.onInference(reference.get(i), i, signals::add);
        }
        assertThat(signals).isEmpty();
        return d;
    }

    @Test
    void withTheModelsProfileShortRunsAreFlaggedAtTheirThirdQuery() {
        List<InferenceRecord> reference = reference();
        int runs = 200;
        int shortRuns = 0; // 3 to CLIENT_MATCHES queries: the windowed count cannot see them
        int shortFlagged = 0;
        int twoQueryRuns = 0;
        int longRuns = 0;
        int longFlagged = 0;
        List<Integer> flaggedAt = new ArrayList<>();
        Map<String, Integer> reasons = new TreeMap<>();
        for (int k = 0; k < runs; k++) {
            int i = (k * 37) % RT.digits.size();
            List<InferenceRecord> q =
                    SquareQueries.run(
                            RT, RT.digits.get(i), RT.labels.get(i), 100 + k, 300, "square-" + k);
            QueryAttackDetector d = profiled(reference);
            List<Signal> signals = new ArrayList<>();
            int at = -1;
            for (int j = 0; j < q.size() && at < 0; j++) {
                d.onInference(q.get(j), reference.size() + j, signals::add);
                if (!signals.isEmpty()) {
                    at = j + 1;
                    reasons.merge(signals.get(0).reason(), 1, Integer::sum);
                }
            }
            if (q.size() <= 2) {
                twoQueryRuns++; // the stripes alone fool the model: one perturbed query
                assertThat(at).isEqualTo(-1);
            } else if (q.size() <= QueryAttackDetector.CLIENT_MATCHES) {
                shortRuns++;
                shortFlagged += at > 0 ? 1 : 0;
            } else {
                longRuns++;
                longFlagged += at > 0 ? 1 : 0;
            }
            if (at > 0) {
                flaggedAt.add(at);
            }
        }
        Collections.sort(flaggedAt);
        System.out.printf(
                "square with profile: %d runs; %d of 2 queries (not judged); %d of %d short runs"
                        + " (3..%d queries) flagged; %d of %d longer runs flagged; flagged at"
                        + " query median %d, p90 %d; first reasons %s%n",
                runs,
                twoQueryRuns,
                shortFlagged,
                shortRuns,
                QueryAttackDetector.CLIENT_MATCHES,
                longFlagged,
                longRuns,
                flaggedAt.get(flaggedAt.size() / 2),
                flaggedAt.get(flaggedAt.size() * 9 / 10),
                reasons);
        assertThat(shortRuns).isGreaterThanOrEqualTo(3);
        // 23 of 28 here: 25 before the rewrite had to be local and one-way (which keeps noisy
        // digits of a degrading camera from this test: NoisyDigitsQueryAttackTest), 21 after, 23
        // since moves are counted beyond the quantisation's uniform shift (two runs whose window
        // widened the row's range, so that every cell moved a little and the window's own cells
        // too little). Of the other misses, two rewrote so much of the image that its
        // quantisation moved and the windowed test saw no unchanged cells. Every longer run is
        // still flagged, at query median 3.
        assertThat(shortFlagged).isGreaterThanOrEqualTo((int) Math.ceil(0.8 * shortRuns));
        assertThat(longFlagged).isGreaterThanOrEqualTo((int) Math.ceil(0.98 * longRuns));
        assertThat(flaggedAt.get(flaggedAt.size() / 2)).isLessThanOrEqualTo(4);
        assertThat(reasons).containsKey("out_of_profile_windowed_changes");
    }

    @Test
    void theProfileAndTheOutOfProfileBitsSurviveACheckpoint() {
        List<InferenceRecord> reference = reference();
        List<InferenceRecord> q = null;
        for (int k = 0; q == null; k++) {
            List<InferenceRecord> run =
                    SquareQueries.run(
                            RT,
                            RT.digits.get(k * 37),
                            RT.labels.get(k * 37),
                            100 + k,
                            10,
                            "square-cp");
            if (run.size() >= 3 && firstSignal(profiled(reference), run, reference.size()) == 3) {
                q = run; // flagged at its third query without a restart
            }
        }
        QueryAttackDetector before = profiled(reference);
        before.onInference(q.get(0), 5000, s -> {});
        before.onInference(q.get(1), 5001, s -> {}); // the stripes: out of profile
        QueryAttackDetector after = new QueryAttackDetector();
        after.restoreState(before.saveState());
        List<Signal> signals = new ArrayList<>();
        after.onInference(q.get(2), 5002, signals::add);
        assertThat(signals).hasSize(1);
        assertThat(signals.get(0).reason()).isEqualTo("out_of_profile_windowed_changes");
        assertThat(signals.get(0).evidence()).containsEntry("outOfProfileInLast8", 2L);
        // without the profile (a state saved before it existed) the same query passes
        QueryAttackDetector unprofiled = new QueryAttackDetector();
        unprofiled.restoreState(before.saveState().replaceAll("\"profile\":\\[[^\\]]*\\],?", ""));
        List<Signal> none = new ArrayList<>();
        unprofiled.onInference(q.get(2), 5002, none::add);
        assertThat(none).isEmpty();
    }

    /** 1-based query number of the first signal after {@code offset} earlier records, or -1. */
    private static int firstSignal(QueryAttackDetector d, List<InferenceRecord> q, int offset) {
        List<Signal> signals = new ArrayList<>();
        for (int j = 0; j < q.size(); j++) {
            d.onInference(q.get(j), offset + j, signals::add);
            if (!signals.isEmpty()) {
                return j + 1;
            }
        }
        return -1;
    }
}
