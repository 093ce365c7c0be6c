package io.mlguard.collector.store;

import static io.mlguard.collector.TestRecords.T0;
import static io.mlguard.collector.TestRecords.inference;
import static io.mlguard.collector.TestRecords.load;
import static io.mlguard.collector.TestRecords.nanInference;
import static io.mlguard.collector.TestRecords.sha;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mlguard.collector.Collector;
import io.mlguard.collector.QueueFixture;
import io.mlguard.collector.config.CollectorConfig;
import io.mlguard.collector.incident.Feedback;
import io.mlguard.collector.incident.Incident;
import io.mlguard.collector.incident.IncidentCodec;
import io.mlguard.collector.incident.Verdict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The durable store through a real collector: what one run learnt, the next one has. */
class DurableStateTest {
    @TempDir Path tmp;

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    private CollectorConfig config(Path queue) {
        return CollectorConfig.of(queue, 0).withReferenceWindow(5);
    }

    private static List<String> encoded(Collector c) {
        return c.incidents().list().stream()
                .map(IncidentCodec::encode)
                .collect(Collectors.toList());
    }

    @Test
    void incidentsFeedbackAndDetectorStateSurviveARestart() throws Exception {
        Path queue = tmp.resolve("queue");
        try (QueueFixture q = new QueueFixture(queue)) {
            q.write(load("mnist", sha('a'), T0));
            for (int i = 0; i < 5; i++) {
                q.write(inference("mnist", "good", T0 + i, 0, 1)); // the reference window
            }
            q.write(nanInference("mnist", "nan", T0 + 100));
            q.write(inference("mnist", "probe", T0 + 200, -50, 1));
        }
        List<String> before;
        String nanId;
        try (Collector c = Collector.start(config(queue))) {
            await("first records", () -> c.stats().recordsRead() == 8);
            await("incidents", () -> c.incidents().size() == 2);
            before = encoded(c);
            nanId =
                    c.incidents().list().stream()
                            .filter(i -> i.clients().contains("nan"))
                            .findFirst()
                            .orElseThrow()
                            .id();
            c.feedback().add(new Feedback(nanId, Verdict.TRUE_POSITIVE, "seen it", T0 + 1_000));
        }
        assertThat(Files.exists(tmp.resolve("mlguard-state").resolve("mlguard.mv.db"))).isTrue();

        // Learnt state must come back: the reference range (an out-of-range value only counts
        // against a complete window) and the model's baseline hash (a swap is only a swap
        // against the first hash seen).
        // The new records are written only after the restarted collector's incidents have been
        // compared: its ingest thread starts tailing at once, so records already in the queue
        // could join an incident before the comparison (CI saw exactly that race).
        try (Collector c = Collector.start(config(queue))) {
            assertThat(encoded(c)).isEqualTo(before); // every field, before reading anything
            try (QueueFixture q = new QueueFixture(queue)) {
                q.write(inference("mnist", "probe", T0 + 300, -50, 1));
                q.write(nanInference("mnist", "nan", T0 + 400));
                q.write(load("mnist", sha('b'), T0 + 500));
            }
            assertThat(c.feedback().forIncident(nanId))
                    .singleElement()
                    .satisfies(
                            f -> {
                                assertThat(f.verdict()).isEqualTo(Verdict.TRUE_POSITIVE);
                                assertThat(f.comment()).isEqualTo("seen it");
                                assertThat(f.createdAt()).isEqualTo(T0 + 1_000);
                            });
            await("new records", () -> c.stats().recordsRead() == 11);
            await("the swap", () -> c.incidents().size() == 3);
            List<Incident> all = c.incidents().list();
            Incident nan = c.incidents().get(nanId).orElseThrow();
            assertThat(nan.count()).isEqualTo(2); // joined the open incident, not a new one
            assertThat(nan.lastSeen()).isEqualTo(T0 + 400);
            Incident probe =
                    all.stream()
                            .filter(i -> i.clients().contains("probe"))
                            .findFirst()
                            .orElseThrow();
            assertThat(probe.count()).isEqualTo(2);
            Incident swap =
                    all.stream()
                            .filter(i -> i.type().wireName().equals("model_substitution"))
                            .findFirst()
                            .orElseThrow();
            assertThat(swap.evidence().get("expectedSha256")).isEqualTo(sha('a'));
            assertThat(c.stats().malformedRecords()).isZero();
        }
    }

    @Test
    void aStateDirectoryInUseIsRefusedWithAClearError() throws Exception {
        Path queue = tmp.resolve("queue");
        try (Collector c = Collector.start(config(queue))) {
            assertThatThrownBy(() -> Collector.start(config(queue)))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("state database")
                    .hasMessageContaining("mlguard-state");
            assertThat(c.port()).isPositive();
        }
    }

    @Test
    void anExplicitStateDirIsUsed() throws Exception {
        Path queue = tmp.resolve("queue");
        Path state = tmp.resolve("elsewhere/state");
        try (QueueFixture q = new QueueFixture(queue)) {
            q.write(nanInference("m", "c", T0));
        }
        try (Collector c = Collector.start(config(queue).withStateDir(state))) {
            await("record", () -> c.stats().recordsRead() == 1);
        }
        assertThat(state.resolve("mlguard.mv.db")).exists();
        assertThat(tmp.resolve("mlguard-state")).doesNotExist();
    }
}
