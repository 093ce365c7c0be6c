package io.mlguard.collector;

import static io.mlguard.collector.TestRecords.T0;
import static io.mlguard.collector.TestRecords.load;
import static io.mlguard.collector.TestRecords.sha;
import static org.assertj.core.api.Assertions.assertThat;

import io.mlguard.collector.config.CollectorConfig;
import io.mlguard.collector.incident.Incident;
import io.mlguard.protocol.InferenceRecord;
import io.mlguard.protocol.ModelLoadRecord;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every detector wired in a real collector on a real queue: benign MNIST clients, a NaN client and
 * a model swap give exactly the two expected incidents; attack-like streams give query attacks.
 */
class DetectorsEndToEndTest {
    @TempDir Path tmp;

    private static final List<byte[]> DIGITS = TestTraffic.mnistFingerprints();
    private final Random random = new Random(8);
    private long time = T0;

    private InferenceRecord digit(String client, int d) {
        time += 100;
        InferenceRecord r =
                TestTraffic.classified(
                        "mnist",
                        client,
                        time,
                        0.13 + 0.02 * random.nextGaussian(),
                        0.3 + 0.02 * random.nextGaussian(),
                        d % 10,
                        0.6 + 0.4 * random.nextDouble(),
                        (long) (20_000 * Math.exp(0.2 * random.nextGaussian())));
        r.fingerprintKind = InferenceRecord.FINGERPRINT_POOLED_2D;
        System.arraycopy(DIGITS.get(d), 0, r.fingerprint, 0, 64);
        r.fingerprintLength = 64;
        r.modelHashPrefix = ModelLoadRecord.hashPrefix(sha('a'));
        return r;
    }

    private Collector collector(Path queue) throws Exception {
        // a small profile window, so drift and operational checks are live during the test
        return Collector.start(
                CollectorConfig.of(queue, 0).withReferenceWindow(50).withProfiles(List.of(), 200));
    }

    private static void await(Collector c, long records) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (c.stats().recordsRead() < records && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(c.stats().recordsRead()).isEqualTo(records);
    }

    @Test
    void benignNanAndSwapTrafficGiveExactlyTheExpectedIncidents() throws Exception {
        Path queue = tmp.resolve("queue");
        long written = 0;
        try (QueueFixture q = new QueueFixture(queue)) {
            q.write(load("mnist", sha('a'), time));
            written++;
            // one benign client sends 100 held-out digits; four others share the other 200
            for (int i = 0; i < 300; i++) {
                String client = i < 100 ? "benign-1" : "benign-" + (2 + i % 4);
                q.write(digit(client, i));
                written++;
            }
            for (int i = 0; i < 30; i++) {
                InferenceRecord r = digit("nan-client", random.nextInt(300));
                r.inputs[0].nanCount = 4;
                q.write(r);
                written++;
            }
            q.write(load("mnist", sha('b'), time += 100));
            written++;
            for (int i = 0; i < 100; i++) {
                InferenceRecord r = digit("benign-1", random.nextInt(300));
                r.modelHashPrefix = ModelLoadRecord.hashPrefix(sha('b'));
                q.write(r);
                written++;
            }
        }
        try (Collector c = collector(queue)) {
            await(c, written);
            List<Incident> incidents = c.incidents().list();
            assertThat(incidents.stream().map(i -> i.type().wireName()).collect(Collectors.toSet()))
                    .as(incidents.toString())
                    .containsExactlyInAnyOrder("invalid_input", "model_substitution");
            assertThat(incidents).hasSize(2);
            assertThat(c.stats().detectorErrors()).isZero();
        }
    }

    @Test
    void attackStreamsBecomeQueryAttackIncidents() throws Exception {
        Path queue = tmp.resolve("queue");
        long written = 0;
        try (QueueFixture q = new QueueFixture(queue)) {
            for (int i = 0; i < 100; i++) {
                q.write(digit("benign-" + i % 3, i));
                written++;
            }
            double[] p = new double[64];
            for (int k = 0; k < 64; k++) {
                p[k] = DIGITS.get(5)[k] & 0xff;
            }
            for (int i = 0; i < 60; i++) {
                InferenceRecord r = digit("attacker", 0);
                for (int k = 0; k < 64; k++) {
                    p[k] += 0.5 * random.nextGaussian();
                    r.fingerprint[k] = (byte) Math.max(0, Math.min(255, Math.round(p[k])));
                }
                q.write(r);
                written++;
            }
        }
        try (Collector c = collector(queue)) {
            await(c, written);
            List<Incident> incidents = c.incidents().list();
            assertThat(incidents).as(incidents.toString()).isNotEmpty();
            assertThat(incidents)
                    .allSatisfy(i -> assertThat(i.type().wireName()).isEqualTo("query_attack"));
            assertThat(incidents.get(0).clients()).contains("attacker");
        }
    }
}
