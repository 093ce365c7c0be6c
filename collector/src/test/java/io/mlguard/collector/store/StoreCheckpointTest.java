package io.mlguard.collector.store;

import static io.mlguard.collector.TestRecords.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.mlguard.collector.detect.Checkpointable;
import io.mlguard.collector.detect.Detector;
import io.mlguard.collector.detect.Severity;
import io.mlguard.collector.detect.Signal;
import io.mlguard.collector.detect.SignalType;
import io.mlguard.collector.explain.DeterministicExplainer;
import io.mlguard.collector.incident.IncidentManager;
import io.mlguard.collector.ingest.IngestStats;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checkpoint with its committer thread on a real H2 database. */
class StoreCheckpointTest {
    @TempDir Path tmp;

    /** A detector that defers serialisation and notes which thread did it. */
    private static final class Counting implements Detector, Checkpointable {
        long seen;
        volatile String serialisedOn;

        @Override
        public String name() {
            return "counting";
        }

        @Override
        public String saveState() {
            return "{\"seen\":" + seen + "}";
        }

        @Override
        public Supplier<String> captureState() {
            long at = seen;
            return () -> {
                serialisedOn = Thread.currentThread().getName();
                return "{\"seen\":" + at + "}";
            };
        }

        @Override
        public void restoreState(String state) {
            seen = Long.parseLong(state.replaceAll("[^0-9]", ""));
        }
    }

    static IncidentManager manager(DurableState state) {
        return new IncidentManager(
                state.incidents(),
                new DeterministicExplainer(),
                Clock.systemUTC(),
                IncidentManager.DEFAULT_QUIET_WINDOW,
                IncidentManager.DEFAULT_MAX_INCIDENTS);
    }

    private static Signal nan(long index) {
        return Signal.builder(SignalType.INVALID_INPUT, Severity.HIGH, "nan_or_inf")
                .model("mnist")
                .client("c1")
                .record(index, T0 + index)
                .evidence("input", "input")
                .build();
    }

    @Test
    void anOpenedIncidentIsCommittedOnTheCommitterThreadWithoutWaitingForABatch() throws Exception {
        Counting detector = new Counting();
        String id;
        // Batches that never fill: only an opening incident can cause a commit.
        try (DurableState state = DurableState.open(tmp)) {
            IncidentManager manager = manager(state);
            StoreCheckpoint cp =
                    state.restore(
                            manager, List.of(detector), new IngestStats(), 1_000_000, 3_600_000);
            detector.seen = 1;
            cp.recordDone(1);
            cp.awaitCommitted();
            assertThat(cp.committedIndex()).isEqualTo(-1);
            detector.seen = 2;
            manager.accept(nan(2));
            cp.recordDone(2);
            detector.seen = 3; // after the capture: must not reach this commit
            cp.awaitCommitted();
            assertThat(cp.committedIndex()).isEqualTo(2);
            assertThat(detector.serialisedOn).isEqualTo("mlguard-commit");
            id = state.incidents().list().get(0).id();
            // No cp.close(): as after a crash, only what was committed is there.
        }
        try (DurableState state = DurableState.open(tmp)) {
            Counting restored = new Counting();
            StoreCheckpoint cp =
                    state.restore(manager(state), List.of(restored), new IngestStats());
            assertThat(cp.committedIndex()).isEqualTo(2);
            assertThat(restored.seen).isEqualTo(2);
            assertThat(state.incidents().get(id)).isPresent();
            assertThat(state.incidents().size()).isEqualTo(1);
        }
    }

    @Test
    void closingCommitsWhatIsPendingAfterTheCommitInHand() throws Exception {
        Counting detector = new Counting();
        try (DurableState state = DurableState.open(tmp)) {
            IncidentManager manager = manager(state);
            StoreCheckpoint cp =
                    state.restore(
                            manager, List.of(detector), new IngestStats(), 1_000_000, 3_600_000);
            for (long i = 1; i <= 50; i++) {
                detector.seen = i;
                manager.accept(nan(i)); // one incident, opened by the first
                cp.recordDone(i);
            }
            cp.close();
            assertThat(cp.committedIndex()).isEqualTo(50);
        }
        try (DurableState state = DurableState.open(tmp)) {
            Counting restored = new Counting();
            state.restore(manager(state), List.of(restored), new IngestStats());
            assertThat(restored.seen).isEqualTo(50);
            assertThat(state.incidents().list())
                    .singleElement()
                    .satisfies(i -> assertThat(i.count()).isEqualTo(50));
        }
    }
}
