package io.mlguard.collector.incident;

import static io.mlguard.collector.TestRecords.T0;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlguard.collector.api.IncidentJson;
import io.mlguard.collector.detect.Severity;
import io.mlguard.collector.detect.Signal;
import io.mlguard.collector.detect.SignalType;
import io.mlguard.collector.explain.DeterministicExplainer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class IncidentManagerTest {
    private static final long NOW = 1_800_000_000_000L;
    private static final Duration WINDOW = Duration.ofMinutes(10);

    private final InMemoryIncidentStore store = new InMemoryIncidentStore();
    private final IncidentManager manager = manager(store, 10_000);

    private static IncidentManager manager(IncidentStore store, int max) {
        return new IncidentManager(
                store,
                new DeterministicExplainer(),
                Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC),
                WINDOW,
                max);
    }

    private static Signal invalid(String client, Severity sev, long index, long time, double min) {
        return Signal.builder(
                        SignalType.INVALID_INPUT,
                        sev,
                        sev == Severity.HIGH ? "nan_or_inf" : "out_of_range")
                .model("mnist")
                .client(client)
                .record(index, time)
                .evidence("input", "input")
                .evidence("observedMin", min)
                .build();
    }

    private static Signal substitution(String client, long index, long time) {
        return Signal.builder(SignalType.MODEL_SUBSTITUTION, Severity.CRITICAL, "hash_changed")
                .model("mnist")
                .client(client)
                .record(index, time)
                .evidence("observedHashPrefix", "bbbbbbbbbbbbbbbb")
                .build();
    }

    private static Signal acrossClients(String latestClient, long index, long time) {
        return Signal.builder(
                        SignalType.QUERY_ATTACK,
                        Severity.HIGH,
                        "near_duplicate_queries_across_clients")
                .model("mnist")
                .record(index, time)
                .evidence("latestClient", latestClient)
                .build();
    }

    @Test
    void theJsonNamesTheRecordsThatJoinedAnIncidentOpenedEarlier() {
        // an account-free incident opened by one run's record, joined later by another run's
        manager.accept(acrossClients("a-r1", 500, T0));
        manager.accept(acrossClients("b-r3", 900, T0 + 5_000));
        manager.accept(acrossClients("b-r4", 700, T0 + 4_000)); // out of order: range kept

        assertThat(store.size()).isEqualTo(1);
        Incident i = store.list().get(0);
        assertThat(i.id()).isEqualTo(IncidentManager.incidentId(i.groupKey(), 500));
        JsonNode n = IncidentJson.toJson(i);
        assertThat(n.path("firstRecordIndex").asLong(-1)).isEqualTo(500);
        assertThat(n.path("lastRecordIndex").asLong(-1)).isEqualTo(900);
        assertThat(n.path("clients")).isEmpty(); // account-free: no client in the group
        assertThat(n.path("evidence").path("latestClient").asText()).isEqualTo("b-r4");
        // the stored form carries the same range and reads back to it
        Incident back = IncidentCodec.decode(IncidentCodec.encode(i));
        assertThat(back.firstRecordIndex()).isEqualTo(500);
        assertThat(back.lastRecordIndex()).isEqualTo(900);
    }

    @Test
    void repeatedSignalsOfOneGroupMakeOneIncident() {
        manager.accept(invalid("c1", Severity.MEDIUM, 100, T0, -1));
        manager.accept(invalid("c1", Severity.HIGH, 101, T0 + 1000, -2));
        manager.accept(invalid("c1", Severity.MEDIUM, 102, T0 + 2000, -3));

        assertThat(store.size()).isEqualTo(1);
        Incident i = store.list().get(0);
        assertThat(i.id()).matches("inc-[0-9a-f]{16}");
        assertThat(i.type()).isEqualTo(SignalType.INVALID_INPUT);
        assertThat(i.severity()).isEqualTo(Severity.HIGH); // the max is kept
        assertThat(i.model()).isEqualTo("mnist");
        assertThat(i.clients()).containsExactly("c1");
        assertThat(i.count()).isEqualTo(3);
        assertThat(i.firstSeen()).isEqualTo(T0);
        assertThat(i.lastSeen()).isEqualTo(T0 + 2000);
        assertThat(i.createdAt()).isEqualTo(NOW);
        assertThat(i.evidence()).containsEntry("observedMin", -3.0); // the latest evidence
        assertThat(i.reasons()).containsEntry("out_of_range", 2L).containsEntry("nan_or_inf", 1L);
        assertThat(i.explanation()).isNotNull();
        assertThat(i.explanation().generatedBy()).isEqualTo("deterministic");
    }

    @Test
    void evidenceOfDifferentStatisticsIsNeverMixed() {
        manager.accept(
                Signal.builder(SignalType.DATA_DRIFT, Severity.MEDIUM, "window_shift")
                        .model("mnist")
                        .record(1, T0)
                        .evidence("statistic", "input.mean")
                        .evidence("referenceMedian", 0.1)
                        .evidence("referenceP95", 0.2)
                        .build());
        manager.accept(
                Signal.builder(SignalType.DATA_DRIFT, Severity.MEDIUM, "cusum_shift")
                        .model("mnist")
                        .record(2, T0 + 1)
                        .evidence("statistic", "input.zeroFraction")
                        .evidence("referenceMedian", 0.4)
                        .build());

        Incident i = store.list().get(0);
        assertThat(i.count()).isEqualTo(2);
        assertThat(i.evidence())
                .containsOnlyKeys("statistic", "referenceMedian")
                .containsEntry("statistic", "input.zeroFraction")
                .containsEntry("referenceMedian", 0.4);
    }

    @Test
    void differentClientsTypesAndModelsAreDifferentIncidents() {
        manager.accept(invalid("c1", Severity.MEDIUM, 1, T0, 0));
        manager.accept(invalid("c2", Severity.MEDIUM, 2, T0, 0));
        manager.accept(substitution("c1", 3, T0));
        manager.accept(
                Signal.builder(SignalType.INVALID_INPUT, Severity.HIGH, "nan_or_inf")
                        .model("iris")
                        .client("c1")
                        .record(4, T0)
                        .build());

        assertThat(store.size()).isEqualTo(4);
    }

    @Test
    void substitutionIsOneIncidentPerModelListingEveryClient() {
        manager.accept(substitution(null, 10, T0));
        manager.accept(substitution("c1", 11, T0 + 1));
        manager.accept(substitution("c2", 12, T0 + 2));
        manager.accept(substitution("c1", 13, T0 + 3));

        assertThat(store.list())
                .singleElement()
                .satisfies(
                        i -> {
                            assertThat(i.count()).isEqualTo(4);
                            assertThat(i.clients()).containsExactly("c1", "c2");
                            assertThat(i.severity()).isEqualTo(Severity.CRITICAL);
                        });
    }

    @Test
    void quietLongerThanTheWindowOpensANewIncident() {
        manager.accept(invalid("c1", Severity.MEDIUM, 1, T0, 0));
        manager.accept(invalid("c1", Severity.MEDIUM, 2, T0 + WINDOW.toMillis(), 0));
        assertThat(store.size()).isEqualTo(1);

        manager.accept(invalid("c1", Severity.MEDIUM, 3, T0 + 2 * WINDOW.toMillis() + 1, 0));

        List<Incident> all = store.list();
        assertThat(all).hasSize(2);
        assertThat(all.get(0).firstSeen())
                .isEqualTo(T0 + 2 * WINDOW.toMillis() + 1); // newest first
        assertThat(all.get(0).count()).isEqualTo(1);
        assertThat(all.get(1).count()).isEqualTo(2);
        assertThat(all.get(0).id()).isNotEqualTo(all.get(1).id());
    }

    @Test
    void aSlightlyOlderSignalStillJoinsItsGroup() {
        manager.accept(invalid("c1", Severity.MEDIUM, 1, T0 + 5000, 0));
        manager.accept(invalid("c1", Severity.MEDIUM, 2, T0, 0));

        Incident i = store.list().get(0);
        assertThat(i.count()).isEqualTo(2);
        assertThat(i.firstSeen()).isEqualTo(T0);
        assertThat(i.lastSeen()).isEqualTo(T0 + 5000);
    }

    @Test
    void replayingTheSameSignalsGivesTheSameIds() {
        List<Signal> signals =
                List.of(
                        invalid("c1", Severity.MEDIUM, 7, T0, 0),
                        invalid("c2", Severity.HIGH, 8, T0 + 1, 0),
                        substitution("c1", 9, T0 + 2),
                        invalid("c1", Severity.MEDIUM, 10, T0 + 3 * WINDOW.toMillis(), 0));
        signals.forEach(manager::accept);

        InMemoryIncidentStore other = new InMemoryIncidentStore();
        IncidentManager replay =
                new IncidentManager(
                        other, new DeterministicExplainer(), Clock.systemUTC(), WINDOW, 10_000);
        signals.forEach(replay::accept);

        assertThat(other.list())
                .extracting(Incident::id)
                .containsExactlyElementsOf(store.list().stream().map(Incident::id).toList())
                .doesNotHaveDuplicates()
                .hasSize(4);
        assertThat(store.list().get(3).id())
                .isEqualTo(IncidentManager.incidentId("invalid_input|mnist|c1", 7));
    }

    @Test
    void theStoreIsCappedDroppingTheOldestClosedIncidentsFirst() {
        IncidentManager small = manager(store, 3);
        small.accept(invalid("old", Severity.MEDIUM, 1, T0, 0));
        small.accept(invalid("c1", Severity.MEDIUM, 2, T0 + 3 * WINDOW.toMillis(), 0));
        small.accept(invalid("c2", Severity.MEDIUM, 3, T0 + 3 * WINDOW.toMillis() + 1, 0));
        small.accept(invalid("c3", Severity.MEDIUM, 4, T0 + 3 * WINDOW.toMillis() + 2, 0));

        assertThat(store.size()).isEqualTo(3);
        assertThat(small.droppedIncidents()).isEqualTo(1);
        assertThat(store.list()).flatExtracting(Incident::clients).containsOnly("c1", "c2", "c3");

        // When nothing is closed, the least recently active open incident goes.
        small.accept(invalid("c4", Severity.MEDIUM, 5, T0 + 3 * WINDOW.toMillis() + 3, 0));
        assertThat(small.droppedIncidents()).isEqualTo(2);
        assertThat(store.list()).flatExtracting(Incident::clients).containsOnly("c2", "c3", "c4");

        // A dropped group starts afresh rather than updating a ghost.
        small.accept(invalid("c1", Severity.MEDIUM, 6, T0 + 3 * WINDOW.toMillis() + 4, 0));
        assertThat(store.list()).flatExtracting(Incident::clients).contains("c1");
    }

    @Test
    void theClientListIsBounded() {
        for (int k = 0; k < Incident.MAX_CLIENTS + 5; k++) {
            manager.accept(substitution("client-" + k, k, T0 + k));
        }
        Incident i = store.list().get(0);
        assertThat(i.clients()).hasSize(Incident.MAX_CLIENTS);
        assertThat(i.clientsOmitted()).isEqualTo(5);
        assertThat(i.count()).isEqualTo(Incident.MAX_CLIENTS + 5);
    }
}
