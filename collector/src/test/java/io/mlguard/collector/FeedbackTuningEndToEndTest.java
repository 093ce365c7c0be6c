package io.mlguard.collector;

import static io.mlguard.collector.TestRecords.T0;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlguard.collector.api.IncidentJson;
import io.mlguard.collector.config.ApiToken;
import io.mlguard.collector.config.CollectorConfig;
import io.mlguard.protocol.InferenceRecord;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The must-show of feedback: a real collector on a real queue raises query-attack signals on
 * borderline benign traffic (video clients sending bursts of 16 near-identical frames); operators
 * mark those incidents false positive through the HTTP API; the same traffic replayed raises fewer
 * signals (none), a clear attack walk is still detected, and the tuning survives a restart.
 */
class FeedbackTuningEndToEndTest {
    private static final String TOKEN = "feedback-token-0123456789";
    private static final List<byte[]> DIGITS = TestTraffic.mnistFingerprints();
    private static final int CLIENTS = 4;
    private static final int BURSTS = 6;
    private static final int FRAMES = 16;

    @TempDir Path tmp;

    private final HttpClient http = HttpClient.newHttpClient();
    private long time = T0;
    private long written;

    private CollectorConfig config() throws Exception {
        return CollectorConfig.of(tmp.resolve("queue"), 0)
                .withStateDir(tmp.resolve("state"))
                .withApiToken(ApiToken.of(TOKEN, "test"));
    }

    private InferenceRecord record(String client, byte[] fingerprint) {
        time += 100;
        written++;
        return TestTraffic.withFingerprint("mnist", client, time, fingerprint);
    }

    /**
     * Each video client sends {@link #BURSTS} bursts of {@link #FRAMES} frames of its own digits
     * (noise 1.0 per cell): 15 near-duplicates per burst against the 12 the detector needs. The
     * frames depend only on the seeds, so a replay under other client names is the same traffic.
     */
    private void videoTraffic(QueueFixture q, String clientPrefix) {
        for (int c = 0; c < CLIENTS; c++) {
            for (int b = 0; b < BURSTS; b++) {
                byte[] digit = DIGITS.get(c * BURSTS + b);
                Random noise = new Random(1000L * c + b);
                for (int f = 0; f < FRAMES; f++) {
                    byte[] frame = new byte[digit.length];
                    for (int k = 0; k < frame.length; k++) {
                        double v = (digit[k] & 0xff) + noise.nextGaussian();
                        frame[k] = (byte) Math.max(0, Math.min(255, Math.round(v)));
                    }
                    q.write(record(clientPrefix + c, frame));
                }
            }
        }
    }

    /** A decision-based attack walk (HopSkipJump-like): small steps around one digit. */
    private void attackWalk(QueueFixture q, String client, int queries) {
        Random random = new Random(77);
        double[] p = new double[64];
        byte[] start = DIGITS.get(250);
        for (int k = 0; k < 64; k++) {
            p[k] = start[k] & 0xff;
        }
        for (int i = 0; i < queries; i++) {
            byte[] f = new byte[64];
            for (int k = 0; k < 64; k++) {
                p[k] += 0.5 * random.nextGaussian();
                f[k] =
                        (byte)
                                Math.max(
                                        0,
                                        Math.min(
                                                255,
                                                Math.round(p[k] + 0.5 * random.nextGaussian())));
            }
            q.write(record(client, f));
        }
    }

    private void write(Consumer<QueueFixture> traffic) {
        try (QueueFixture q = new QueueFixture(tmp.resolve("queue"))) {
            traffic.accept(q);
        }
    }

    private static void awaitRecords(Collector c, long records) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (c.stats().recordsRead() < records && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(c.stats().recordsRead()).isEqualTo(records);
    }

    private HttpResponse<String> send(Collector c, HttpRequest.Builder b) throws Exception {
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(Collector c, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + c.port() + path));
    }

    private String metrics(Collector c) throws Exception {
        HttpResponse<String> r = send(c, request(c, "/metrics"));
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    /** The value of one sample line of /metrics, e.g. {@code name{label="v"}}. */
    private double metric(Collector c, String sample) throws Exception {
        for (String line : metrics(c).split("\n")) {
            if (line.startsWith(sample + " ")) {
                return Double.parseDouble(line.substring(sample.length() + 1));
            }
        }
        return 0; // a counter not shown yet has not counted anything
    }

    private double queryAttackSignals(Collector c) throws Exception {
        return metric(c, "mlguard_detector_signals_total{detector=\"query-attack\"}");
    }

    private double multiplier(Collector c) throws Exception {
        String sample = "mlguard_detector_threshold_multiplier{type=\"query_attack\"}";
        assertThat(metrics(c)).contains(sample);
        return metric(c, sample);
    }

    private JsonNode incidents(Collector c, String query) throws Exception {
        HttpResponse<String> r = send(c, request(c, "/api/incidents?" + query));
        assertThat(r.statusCode()).isEqualTo(200);
        return IncidentJson.MAPPER.readTree(r.body());
    }

    private JsonNode verdict(Collector c, String incidentId, String verdict, String comment)
            throws Exception {
        HttpResponse<String> r =
                send(
                        c,
                        request(c, "/api/incidents/" + incidentId + "/feedback")
                                .header("Authorization", "Bearer " + TOKEN)
                                .header("Content-Type", "application/json")
                                .POST(
                                        HttpRequest.BodyPublishers.ofString(
                                                "{\"verdict\":\""
                                                        + verdict
                                                        + "\",\"comment\":\""
                                                        + comment
                                                        + "\"}")));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return IncidentJson.MAPPER.readTree(r.body());
    }

    /** Marks every query-attack incident of the video clients false positive; returns them. */
    private List<String> markVideoIncidentsFalsePositive(Collector c) throws Exception {
        List<String> ids = new ArrayList<>();
        for (JsonNode i : incidents(c, "type=query_attack")) {
            assertThat(i.get("clients").get(0).asText()).startsWith("video-");
            ids.add(i.get("id").asText());
        }
        assertThat(ids).hasSize(CLIENTS);
        double before = 1.0;
        for (String id : ids) {
            JsonNode answer = verdict(c, id, "false_positive", "camera bursts of one scene");
            assertThat(answer.get("verdict").asText()).isEqualTo("false_positive");
            double m = answer.at("/detectorTuning/thresholdMultiplier").asDouble();
            assertThat(m).isGreaterThan(before);
            before = m;
            // one incident is one vote: saying it again changes nothing
            JsonNode again = verdict(c, id, "false_positive", "still benign");
            assertThat(again.at("/detectorTuning/thresholdMultiplier").asDouble()).isEqualTo(m);
        }
        assertThat(before).isEqualTo(2.0);
        return ids;
    }

    @Test
    void falsePositiveFeedbackQuietsTheDetectorOnTheSameTrafficButAnAttackIsStillCaught()
            throws Exception {
        write(q -> videoTraffic(q, "video-a-"));
        try (Collector c = Collector.start(config())) {
            awaitRecords(c, written);
            double firstPass = queryAttackSignals(c);
            assertThat(firstPass)
                    .as("borderline traffic raises signals")
                    .isGreaterThanOrEqualTo(CLIENTS);
            assertThat(multiplier(c)).isEqualTo(1.0);

            markVideoIncidentsFalsePositive(c);
            assertThat(multiplier(c)).isEqualTo(2.0);
            assertThat(metrics(c))
                    .contains(
                            "mlguard_feedback_incidents{type=\"query_attack\",verdict=\"false_positive\"} "
                                    + CLIENTS);

            write(q -> videoTraffic(q, "video-b-"));
            awaitRecords(c, written);
            double secondPass = queryAttackSignals(c) - firstPass;
            assertThat(secondPass).as("the same traffic after feedback").isLessThan(firstPass);
            assertThat(secondPass).isZero();
            System.out.println(
                    "feedback: query-attack signals on the video traffic: "
                            + firstPass
                            + " before, "
                            + secondPass
                            + " after "
                            + CLIENTS
                            + " false-positive verdicts");

            write(q -> attackWalk(q, "attacker", 100));
            awaitRecords(c, written);
            assertThat(queryAttackSignals(c) - firstPass).isPositive();
            JsonNode attack = incidents(c, "type=query_attack&client=attacker");
            assertThat(attack).hasSize(1);
            assertThat(attack.get(0).at("/evidence/threshold").asLong()).isEqualTo(24);
            assertThat(attack.get(0).get("verdict").isNull()).isTrue();
            assertThat(attack.get(0).at("/detectorTuning/thresholdMultiplier").asDouble())
                    .isEqualTo(2.0);
            assertThat(c.stats().detectorErrors()).isZero();
        }
    }

    @Test
    void theTuningSurvivesARestartAndATruePositivePullsItBack() throws Exception {
        write(q -> videoTraffic(q, "video-a-"));
        List<String> ids;
        try (Collector c = Collector.start(config())) {
            awaitRecords(c, written);
            ids = markVideoIncidentsFalsePositive(c);
        }
        try (Collector c = Collector.start(config())) {
            assertThat(multiplier(c)).isEqualTo(2.0);
            JsonNode one = incidents(c, "type=query_attack&client=video-a-0").get(0);
            assertThat(one.get("verdict").asText()).isEqualTo("false_positive");
            assertThat(one.get("verdictComment").asText()).isEqualTo("still benign");
            assertThat(one.at("/detectorTuning/falsePositives").asLong()).isEqualTo(CLIENTS);
            double before = queryAttackSignals(c);

            write(q -> videoTraffic(q, "video-b-"));
            awaitRecords(c, written);
            assertThat(queryAttackSignals(c) - before).as("replay after restart").isZero();

            // an operator changes their mind on one incident: it becomes a true positive
            JsonNode changed = verdict(c, ids.get(0), "true_positive", "it was a probe after all");
            assertThat(changed.at("/detectorTuning/thresholdMultiplier").asDouble()).isEqualTo(1.5);
            assertThat(changed.at("/detectorTuning/falsePositives").asLong())
                    .isEqualTo(CLIENTS - 1);
            assertThat(changed.at("/detectorTuning/truePositives").asLong()).isEqualTo(1);
        }
        try (Collector c = Collector.start(config())) {
            assertThat(multiplier(c)).isEqualTo(1.5);
        }
    }
}
