package io.mlguard.collector.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlguard.collector.TestRecords;
import io.mlguard.protocol.InferenceRecord;
import org.junit.jupiter.api.Test;

class RepeatFilterTest {
    private static InferenceRecord input(String client, double mean) {
        return TestRecords.inference("m", client, TestRecords.T0, mean - 1, mean + 1);
    }

    @Test
    void aClientsRepeatedInputIsOneObservationAndOtherClientsDoNotRepeatIt() {
        RepeatFilter f = new RepeatFilter();
        assertThat(f.repeat(input("a", 10))).isFalse();
        assertThat(f.repeat(input("a", 10))).isTrue();
        assertThat(f.repeat(input("b", 10))).isFalse();
        assertThat(f.repeat(input("a", 20))).isFalse();
        assertThat(f.repeat(input(null, 20))).isFalse();
        assertThat(f.repeat(input(null, 20))).isTrue();
        assertThat(f.repeats()).isEqualTo(2);
    }

    @Test
    void clientsWellBelowTheBoundAreAllRemembered() {
        RepeatFilter f = new RepeatFilter();
        for (int c = 0; c < 1000; c++) {
            assertThat(f.repeat(input("client-" + c, c))).isFalse();
        }
        for (int c = 0; c < 1000; c++) {
            assertThat(f.repeat(input("client-" + c, c))).as("client %d", c).isTrue();
        }
        assertThat(f.evictions()).isZero();
        assertThat(f.trackedClients()).isEqualTo(1000);
    }

    @Test
    void manyRotatingClientsCostBoundedMemory() {
        RepeatFilter f = new RepeatFilter();
        int clients = 100_000;
        for (int c = 0; c < clients; c++) {
            f.repeat(input(String.format("%016x", c * 0x9e3779b97f4a7c15L), c));
        }
        assertThat(f.trackedClients()).isEqualTo(RepeatFilter.MAX_CLIENTS);
        assertThat(f.evictions()).isEqualTo(clients - RepeatFilter.MAX_CLIENTS);
        // the most recent client is still there
        long last = (clients - 1) * 0x9e3779b97f4a7c15L;
        assertThat(f.repeat(input(String.format("%016x", last), clients - 1))).isTrue();
    }
}
