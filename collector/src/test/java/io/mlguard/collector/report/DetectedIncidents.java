package io.mlguard.collector.report;

import static io.mlguard.collector.TestRecords.T0;
import static io.mlguard.collector.TestRecords.load;
import static io.mlguard.collector.TestRecords.sha;
import static org.assertj.core.api.Assertions.assertThat;

import io.mlguard.collector.Collector;
import io.mlguard.collector.QueueFixture;
import io.mlguard.collector.TestTraffic;
import io.mlguard.collector.config.CollectorConfig;
import io.mlguard.collector.incident.Feedback;
import io.mlguard.collector.incident.Incident;
import io.mlguard.collector.incident.Verdict;
import io.mlguard.protocol.InferenceRecord;
import io.mlguard.protocol.ModelLoadRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * A real collector on a real queue, with a report directory: benign MNIST clients, then a
 * decision-based attack walk from a client whose id is an HTML/script payload, then a shift of the
 * input statistics. The detectors raise a query attack and drift incidents; an operator's verdict
 * with a hostile comment is added. Shared by the report tests and the headless-browser IT.
 */
final class DetectedIncidents {
    /** A client id an attacker chose to break the report page. */
    static final String HOSTILE_CLIENT =
            "<img src=x onerror=alert(1)><script>document.title='pwned'</script>";

    static final String HOSTILE_COMMENT = "<b onmouseover=alert(3)>looks real</b>";

    private static final List<byte[]> DIGITS = TestTraffic.mnistFingerprints();

    private final Random random = new Random(21);
    private long time = T0;

    /** The incidents the collector kept, and where it wrote the report. */
    record Result(List<Incident> incidents, Path reportDir) {
        Incident ofType(String wireName) {
            return incidents.stream()
                    .filter(i -> i.type().wireName().equals(wireName))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no " + wireName + " in " + incidents));
        }

        Path page(Incident i) {
            return reportDir.resolve("incidents").resolve(i.id() + ".html");
        }
    }

    static Result run(Path tmp) throws Exception {
        return new DetectedIncidents().produce(tmp);
    }

    private InferenceRecord digit(String client, byte[] fingerprint, double mean) {
        time += 250;
        InferenceRecord r =
                TestTraffic.classified(
                        "mnist",
                        client,
                        time,
                        mean + 0.02 * random.nextGaussian(),
                        0.3 + 0.02 * random.nextGaussian(),
                        random.nextInt(10),
                        0.6 + 0.4 * random.nextDouble(),
                        (long) (20_000 * Math.exp(0.2 * random.nextGaussian())));
        r.fingerprintKind = InferenceRecord.FINGERPRINT_POOLED_2D;
        System.arraycopy(fingerprint, 0, r.fingerprint, 0, 64);
        r.fingerprintLength = 64;
        r.modelHashPrefix = ModelLoadRecord.hashPrefix(sha('a'));
        return r;
    }

    private Result produce(Path tmp) throws Exception {
        Path queue = tmp.resolve("queue");
        Path reports = tmp.resolve("reports");
        long written = 0;
        try (QueueFixture q = new QueueFixture(queue)) {
            q.write(load("mnist", sha('a'), time));
            written++;
            for (int i = 0; i < 300; i++) {
                q.write(digit("benign-" + i % 5, DIGITS.get(i), 0.13));
                written++;
            }
            // a random walk of small perturbations around one digit: a decision-based attack
            double[] p = new double[64];
            for (int k = 0; k < 64; k++) {
                p[k] = DIGITS.get(5)[k] & 0xff;
            }
            for (int i = 0; i < 90; i++) {
                InferenceRecord r = digit(HOSTILE_CLIENT, DIGITS.get(0), 0.13);
                for (int k = 0; k < 64; k++) {
                    p[k] += 0.5 * random.nextGaussian();
                    r.fingerprint[k] = (byte) Math.max(0, Math.min(255, Math.round(p[k])));
                }
                q.write(r);
                written++;
            }
            // then the inputs change: the input mean moves up by several reference deviations
            for (int i = 0; i < 700; i++) {
                q.write(digit("benign-" + i % 5, DIGITS.get(i % DIGITS.size()), 0.25));
                written++;
            }
        }
        CollectorConfig config =
                CollectorConfig.of(queue, 0)
                        .withReferenceWindow(50)
                        .withProfiles(List.of(), 200)
                        .withReportDir(reports);
        try (Collector c = Collector.start(config)) {
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (c.stats().recordsRead() < written && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(c.stats().recordsRead()).isEqualTo(written);
            Incident attack =
                    c.incidents().list().stream()
                            .filter(i -> i.type().wireName().equals("query_attack"))
                            .findFirst()
                            .orElseThrow(() -> new AssertionError(c.incidents().list().toString()));
            c.feedback()
                    .add(new Feedback(attack.id(), Verdict.TRUE_POSITIVE, HOSTILE_COMMENT, time));
            Path page = reports.resolve("incidents").resolve(attack.id() + ".html");
            // the writer checks once a second; the verdict shows once it has run
            while (System.nanoTime() < deadline
                    && !(Files.exists(page) && Files.readString(page).contains("looks real"))) {
                Thread.sleep(50);
            }
            assertThat(page).exists();
            assertThat(Files.readString(page)).contains("looks real");
            return new Result(c.incidents().list(), reports);
        }
    }
}
