package io.mlguard.collector.detect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mlguard.collector.TestTraffic;
import io.mlguard.protocol.InferenceRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

class QueryAttackDetectorTest {
    private final QueryAttackDetector detector = new QueryAttackDetector();
    private final List<Signal> signals = new ArrayList<>();
    private long index;

    /** Sends a stream; returns the 1-based query number of the first signal, or -1. */
    private int send(List<byte[]> stream, IntFunction<String> client) {
        int first = -1;
        for (int q = 0; q < stream.size(); q++) {
            int before = signals.size();
            detector.onInference(
                    TestTraffic.withFingerprint("mnist", client.apply(q), index, stream.get(q)),
                    index++,
                    signals::add);
            if (first < 0 && signals.size() > before) {
                first = q + 1;
            }
        }
        return first;
    }

    @Test
    void anAttackWalkIsFlaggedWithinFiftyQueries() {
        for (int seed = 0; seed < 20; seed++) {
            signals.clear();
            int at = send(QueryStreams.attackWalk(seed * 7, 200, seed), q -> "attacker");
            assertThat(at).as("seed %d", seed).isBetween(1, 50);
            Signal s = signals.get(0);
            assertThat(s.type()).isEqualTo(SignalType.QUERY_ATTACK);
            assertThat(s.reason()).isEqualTo("near_duplicate_queries");
            assertThat(s.client()).isEqualTo("attacker");
            assertThat((Long) s.evidence().get("nearDuplicates"))
                    .isGreaterThanOrEqualTo(QueryAttackDetector.CLIENT_MATCHES);
            System.out.println("query-attack: walk " + seed + " flagged at query " + at);
        }
    }

    @Test
    void aSignalCarriesTheClientsNearDuplicateCountsOverTime() {
        // twenty distinct held-out digits first: no near-duplicates among them
        send(QueryStreams.DIGITS.subList(100, 120), q -> "attacker");
        assertThat(signals).isEmpty();
        int at = send(QueryStreams.attackWalk(11, 200, 5), q -> "attacker");
        Signal s = signals.get(0);
        List<?> counts = (List<?>) s.evidence().get("nearDuplicateSeries");
        List<?> times = (List<?>) s.evidence().get("seriesTimesMillis");
        assertThat(counts)
                .hasSameSizeAs(times)
                .hasSize(Math.min(QueryAttackDetector.CLIENT_RING, 20 + at));
        // the last point is the query that raised the signal
        assertThat(counts.get(counts.size() - 1)).isEqualTo(s.evidence().get("nearDuplicates"));
        assertThat(times.get(times.size() - 1)).isEqualTo(s.timestampMillis());
        // the series starts in the held-out digits, which had no near-duplicates
        assertThat(counts.get(0)).isEqualTo(0L);
        assertThat(counts.get(counts.size() - at - 1)).isEqualTo(0L);
        for (int k = 1; k < times.size(); k++) {
            assertThat((Long) times.get(k)).isGreaterThanOrEqualTo((Long) times.get(k - 1));
        }
    }

    @Test
    void anAttackerRotatingClientIdsIsFlaggedAcrossClients() {
        int at = send(QueryStreams.attackWalk(3, 200, 99), q -> "rotating-" + q);
        assertThat(at).isBetween(1, 50);
        assertThat(signals.get(0).reason()).isEqualTo("near_duplicate_queries_across_clients");
        assertThat(signals.get(0).client()).isNull();
        assertThat((Long) signals.get(0).evidence().get("otherClientsAtLeast")).isEqualTo(3L);
    }

    @Test
    void benignStreamsAreNotFlagged() {
        assertThat(send(QueryStreams.independent(300, 1), q -> "independent")).isEqualTo(-1);
        assertThat(send(QueryStreams.retries(600, 2), q -> "retrier")).isEqualTo(-1);
        assertThat(send(QueryStreams.bursts(600, 3), q -> "video")).isEqualTo(-1);
        // all 300 held-out digits, five clients interleaved, every digit once
        assertThat(send(QueryStreams.DIGITS, q -> "benign-" + q % 5)).isEqualTo(-1);
        // and the same digits again from other clients: exact repeats across clients
        assertThat(send(QueryStreams.DIGITS, q -> "other-" + q % 7)).isEqualTo(-1);
        assertThat(signals).isEmpty();
    }

    @Test
    void memoryIsBoundedUnderAHundredThousandClients() {
        List<byte[]> digits = QueryStreams.independent(100_000, 4);
        send(digits, q -> "client-" + q);
        assertThat(detector.trackedClients()).isEqualTo(QueryAttackDetector.MAX_CLIENTS);
        assertThat(detector.clientEvictions()).isEqualTo(100_000 - QueryAttackDetector.MAX_CLIENTS);
        for (int m = 0; m < 40; m++) {
            detector.onInference(
                    TestTraffic.withFingerprint("model-" + m, "c", 0, digits.get(0)), 0, s -> {});
        }
        assertThat(detector.modelsRefused()).isEqualTo(40 - QueryAttackDetector.MAX_MODELS + 1);
    }

    /** A record of f whose input statistics say which input it was (an L2 norm per input). */
    private InferenceRecord input(String client, byte[] f, double l2Norm) {
        InferenceRecord r = TestTraffic.withFingerprint("mnist", client, index, f);
        r.inputs[0].l2Norm = l2Norm;
        return r;
    }

    @Test
    void probesUnderOneFingerprintStepAreNearDuplicatesButRetriesAreNot() {
        byte[] boundaryPoint = QueryStreams.DIGITS.get(40);
        for (int q = 0; q < 100; q++) {
            // a retry: the very same input, a hundred times
            detector.onInference(input("retrier", boundaryPoint, 9.5), index++, signals::add);
        }
        assertThat(signals).isEmpty();
        int at = -1;
        for (int q = 0; q < 100 && at < 0; q++) {
            // HopSkipJump's probes: other inputs with the same thumbnail
            detector.onInference(
                    input("prober", boundaryPoint, 9.5 + q * 1e-6), index++, signals::add);
            at = signals.isEmpty() ? -1 : q + 1;
        }
        assertThat(at).isEqualTo(QueryAttackDetector.CLIENT_MATCHES + 1);
        assertThat(signals.get(0).client()).isEqualTo("prober");
        assertThat(signals.get(0).evidence()).containsEntry("exactRepeatsIgnored", 0L);
    }

    private static byte[] noise(Random random) {
        byte[] f = new byte[64];
        random.nextBytes(f);
        return f;
    }

    @Test
    void aRotatingAttackerIsFoundAcrossClientsOverAHistoryLongerThanTheOldRing() {
        // 600 unrelated queries between two attack queries: the former 1,024-query ring of the
        // model held at most two of them, the index holds the whole attack
        Random random = new Random(8);
        List<byte[]> attack = QueryStreams.attackWalk(17, 40, 8);
        int at = -1;
        for (int q = 0; q < attack.size() && at < 0; q++) {
            for (int b = 0; b < 600; b++) {
                detector.onInference(
                        TestTraffic.withFingerprint(
                                "mnist", "user-" + b % 97, index, noise(random)),
                        index++,
                        signals::add);
            }
            assertThat(signals).isEmpty();
            detector.onInference(
                    TestTraffic.withFingerprint("mnist", "id-" + q, index, attack.get(q)),
                    index++,
                    signals::add);
            at = signals.isEmpty() ? -1 : q + 1;
        }
        assertThat(at).isBetween(QueryAttackDetector.GLOBAL_MATCHES + 1, 25);
        assertThat(signals.get(0).reason()).isEqualTo("near_duplicate_queries_across_clients");
    }

    @Test
    void aCheckpointWithTheFormerModelRingIsReadIntoTheIndex() {
        List<byte[]> attack = new ArrayList<>(); // one digit, a cell nudged by one in each query
        for (int q = 0; q <= 20; q++) {
            byte[] f = QueryStreams.DIGITS.get(23).clone();
            f[q] = (byte) Math.min(255, (f[q] & 0xff) + 1);
            attack.add(f);
        }
        FingerprintRing old = new FingerprintRing(LegacyModelRing.CAPACITY);
        for (int q = 0; q < 20; q++) {
            old.add(attack.get(q), 64, FingerprintRing.hash(attack.get(q), 64), 2 * q + 1);
        }
        ObjectNode state = DetectorStateJson.MAPPER.createObjectNode();
        state.putArray("clients");
        ObjectNode model = state.putObject("models").putObject("mnist");
        model.put("queries", 20).put("quietUntil", 0);
        model.set("ring", old.saveState());
        detector.restoreState(state.toString());
        detector.onInference(
                TestTraffic.withFingerprint("mnist", "next-id", 0, attack.get(20)),
                0,
                signals::add);
        assertThat(signals).hasSize(1);
        assertThat(signals.get(0).evidence())
                .containsEntry("nearDuplicatesFromOtherClients", 20L)
                .containsEntry("indexEntries", 1L); // twenty near-duplicates, one entry
    }

    @Test
    void idsDifferingInTheirLastCharacterAreDifferentClients() {
        for (int k = 0; k < 100; k++) {
            assertThat(QueryAttackDetector.owner("attacker-r" + k))
                    .isNotEqualTo(QueryAttackDetector.owner("attacker-r" + (k + 1)))
                    .isNotZero();
        }
        byte[] point = QueryStreams.DIGITS.get(41);
        for (int q = 0; q < 11; q++) {
            detector.onInference(input("attacker-r2", point, 1 + q * 1e-6), index++, signals::add);
        }
        for (int q = 0; q < 2; q++) {
            detector.onInference(input("attacker-r3", point, 2 + q * 1e-6), index++, signals::add);
        }
        // eleven probes from r2 (ten near-duplicates each at most), two from r3: no client has
        // twelve of its own; r3's two see r2's eleven as another client's, one client only
        assertThat(signals).isEmpty();
    }

    @Test
    void theLastModelShortcutAnswersAsTheMapWouldAcrossModelsAndARestore() {
        // one detector sees each model id as one string (the reader's cache), the other as a new
        // string per record (never the same reference, so always the map): same signals, same
        // state, through interleaved models, an attack in each and a restore in between
        QueryAttackDetector shared = new QueryAttackDetector();
        QueryAttackDetector copies = new QueryAttackDetector();
        List<Signal> a = new ArrayList<>();
        List<Signal> b = new ArrayList<>();
        List<byte[]> walk = QueryStreams.attackWalk(3, 300, 9);
        List<byte[]> digits = QueryStreams.independent(300, 4);
        String[] models = {"mnist", "other", "third"};
        Random random = new Random(2);
        for (int q = 0; q < 600; q++) {
            if (q == 300) {
                QueryAttackDetector back = new QueryAttackDetector();
                back.restoreState(shared.saveState());
                shared = back;
            }
            int m = random.nextInt(q < 200 ? 1 : 3);
            String client = random.nextBoolean() ? "attacker-" + m : "client-" + random.nextInt(9);
            byte[] f = client.startsWith("attacker") ? walk.get(q / 2) : digits.get(q / 2);
            shared.onInference(TestTraffic.withFingerprint(models[m], client, q, f), q, a::add);
            copies.onInference(
                    TestTraffic.withFingerprint(new String(models[m]), client, q, f), q, b::add);
        }
        assertThat(a).isNotEmpty();
        assertThat(a.toString()).isEqualTo(b.toString());
        assertThat(shared.saveState()).isEqualTo(copies.saveState());
    }
}
