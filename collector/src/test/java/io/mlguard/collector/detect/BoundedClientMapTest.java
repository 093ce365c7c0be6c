package io.mlguard.collector.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BoundedClientMapTest {
    @Test
    void aNewClientReusesTheEvictedStateOnlyAfterItWasReset() {
        List<int[]> created = new ArrayList<>();
        BoundedClientMap<int[]> m = new BoundedClientMap<>(2, v -> v[0] = 0);
        for (String k : List.of("a", "b", "c", "d")) {
            int[] v =
                    m.get(
                            k,
                            key -> {
                                int[] fresh = new int[1];
                                created.add(fresh);
                                return fresh;
                            });
            assertThat(v[0]).as("state of new client %s", k).isZero();
            v[0] = 42;
        }
        // a and b were created; c got a fresh one (a was evicted while c was put), d reused a's
        assertThat(created).hasSize(3);
        assertThat(m.size()).isEqualTo(2);
        assertThat(m.evictions()).isEqualTo(2);
        assertThat(m.get("c", key -> new int[1])[0]).isEqualTo(42);
    }
}
