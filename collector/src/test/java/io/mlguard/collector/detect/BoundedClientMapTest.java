package io.mlguard.collector.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BoundedClientMapTest {
    @Test
    void aNewClientReusesTheEvictedStateOnlyAfterItWasReset() {
        List<int[]> created = new ArrayList<>();
        BoundedClientMap<int[]> m = new BoundedClientMap<>(2, v -> v[0] = 0);
        for (String k : List.of("a", "b", "c", "d")) {
            int[] v =
                    m.get(
                            "m",
                            k,
                            () -> {
                                int[] fresh = new int[1];
                                created.add(fresh);
                                return fresh;
                            });
            assertThat(v[0]).as("state of new client %s", k).isZero();
            v[0] = 42;
        }
        // a and b were created; c took a's state (reset), d took b's
        assertThat(created).hasSize(2);
        assertThat(m.size()).isEqualTo(2);
        assertThat(m.evictions()).isEqualTo(2);
        assertThat(m.get("m", "c")[0]).isEqualTo(42);
        assertThat(m.get("m", "a")).isNull();
    }

    @Test
    void theHashIsTheConcatenatedKeysHash() {
        String longId = "x".repeat(300);
        for (String[] p :
                new String[][] {
                    {"mnist", "0123456789abcdef"}, {"", ""}, {"m", longId}, {"é-model", "ü"}
                }) {
            assertThat(BoundedClientMap.hash(p[0], p[1]))
                    .isEqualTo(BoundedClientMap.key(p[0], p[1]).hashCode());
        }
    }

    @Test
    void evictsAndOrdersExactlyAsAnAccessOrderedLinkedHashMap() {
        int capacity = 64;
        LinkedHashMap<String, Integer> reference = new LinkedHashMap<>(16, 0.75f, true);
        BoundedClientMap<int[]> m = new BoundedClientMap<>(capacity);
        Random random = new Random(7);
        long referenceEvictions = 0;
        for (int i = 0; i < 20_000; i++) {
            String model = random.nextInt(4) == 0 ? null : "model-" + random.nextInt(3);
            String client = "client-" + random.nextInt(200);
            String key = model + '\u0000' + client;
            Integer expected = reference.get(key);
            int[] v = m.get(model, client, () -> new int[] {-1});
            if (expected == null) {
                assertThat(v[0]).isEqualTo(-1);
                v[0] = i;
                reference.put(key, i);
                if (reference.size() > capacity) {
                    reference.remove(reference.keySet().iterator().next());
                    referenceEvictions++;
                }
            } else {
                assertThat(v[0]).isEqualTo(expected);
            }
            if (random.nextInt(500) == 0) {
                // an explicit eviction that spares the entry just used
                int[] gone = m.evictEldestExcept(v);
                Map.Entry<String, Integer> eldest = null;
                for (Map.Entry<String, Integer> e : reference.entrySet()) {
                    if (e.getValue() != v[0]) {
                        eldest = e;
                        break;
                    }
                }
                if (eldest == null) {
                    assertThat(gone).isNull();
                } else {
                    assertThat(gone[0]).isEqualTo(eldest.getValue());
                    reference.remove(eldest.getKey());
                    referenceEvictions++;
                }
            }
            assertThat(m.size()).isEqualTo(reference.size()).isLessThanOrEqualTo(capacity);
        }
        assertThat(m.evictions()).isEqualTo(referenceEvictions).isPositive();
        assertThat(keys(m)).containsExactlyElementsOf(reference.keySet());
        List<Integer> values = new ArrayList<>();
        for (Map.Entry<String, int[]> e : m.entries()) {
            values.add(e.getValue()[0]);
        }
        assertThat(values).containsExactlyElementsOf(reference.values());
    }

    @Test
    void aRestoredMapFindsItsClientsAndKeepsTheirOrder() {
        BoundedClientMap<int[]> m = new BoundedClientMap<>(3);
        m.get("m", "a", () -> new int[] {1});
        m.get("m", "b", () -> new int[] {2});
        m.get(null, "c", () -> new int[] {3});
        m.get("m", "a"); // order now b, c, a
        List<Map.Entry<String, int[]>> saved = m.entries();
        assertThat(keys(m)).containsExactly("m\u0000b", "null\u0000c", "m\u0000a");

        BoundedClientMap<int[]> restored = new BoundedClientMap<>(3);
        restored.restore(saved, m.evictions() + 5);
        assertThat(keys(restored)).containsExactlyElementsOf(keys(m));
        assertThat(restored.evictions()).isEqualTo(5);
        assertThat(restored.get("m", "b")[0]).isEqualTo(2); // order now c, a, b
        assertThat(restored.get(null, "c")[0]).isEqualTo(3); // a, b, c
        assertThat(restored.get("m\u0000b", "")).isNull();
        assertThat(restored.get("m", "d", () -> new int[] {4})[0]).isEqualTo(4);
        assertThat(keys(restored)).containsExactly("m\u0000b", "null\u0000c", "m\u0000d");
        assertThat(restored.evictions()).isEqualTo(6);
    }

    /**
     * Model {@code "a\0b"} with client {@code "c"} and model {@code "a"} with client {@code "b\0c"}
     * are two clients: a checkpoint keeps them apart, so a restart neither merges their states nor
     * lets one find the other's. Keys of model ids without a NUL are spelled as before.
     */
    @Test
    void aNulInAModelIdCannotMakeTwoClientsShareAKey() {
        String[][] pairs = {
            {"a\u0000b", "c"},
            {"a", "b\u0000c"},
            {"a\u0000b\u0000c", ""},
            {"", "a\u0000b\u0000c"},
            {"\u00011:a", "b"},
            {"\u0001", "1:a\u0000b"},
            {"\u00013:a\u0000b", "c"}
        };
        java.util.Set<String> keys = new java.util.HashSet<>();
        for (String[] p : pairs) {
            keys.add(BoundedClientMap.key(p[0], p[1]));
            assertThat(BoundedClientMap.hash(p[0], p[1]))
                    .as("hash of %s", BoundedClientMap.key(p[0], p[1]))
                    .isEqualTo(BoundedClientMap.key(p[0], p[1]).hashCode());
        }
        assertThat(keys).as("one key per client").hasSize(pairs.length);
        assertThat(BoundedClientMap.key("mnist", "c1")).isEqualTo("mnist\u0000c1");
        assertThat(BoundedClientMap.key("", "c1")).isEqualTo("\u0000c1");

        BoundedClientMap<int[]> m = new BoundedClientMap<>(pairs.length);
        for (int i = 0; i < pairs.length; i++) {
            int value = i;
            m.get(pairs[i][0], pairs[i][1], () -> new int[] {value});
        }
        BoundedClientMap<int[]> restored = new BoundedClientMap<>(pairs.length);
        restored.restore(m.entries(), 0);
        assertThat(restored.size()).isEqualTo(pairs.length);
        for (int i = 0; i < pairs.length; i++) {
            assertThat(restored.get(pairs[i][0], pairs[i][1]))
                    .as("client %d after the restore", i)
                    .containsExactly(i);
        }
        assertThat(restored.get("a", "b")).isNull();
        assertThat(restored.get("a\u0000b", "")).isNull();
    }

    @Test
    void refusesMoreEntriesThanItHolds() {
        BoundedClientMap<int[]> m = new BoundedClientMap<>(2);
        List<Map.Entry<String, int[]>> three = new ArrayList<>();
        for (String k : List.of("a", "b", "c")) {
            three.add(Map.entry("m\u0000" + k, new int[1]));
        }
        assertThatThrownBy(() -> m.restore(three, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void manyRotatingClientsStayWithinTheCapacity() {
        BoundedClientMap<int[]> m = new BoundedClientMap<>(1000, v -> v[0] = 0);
        for (int i = 0; i < 100_000; i++) {
            m.get("m", Integer.toHexString(i), () -> new int[1]);
        }
        assertThat(m.size()).isEqualTo(1000);
        assertThat(m.evictions()).isEqualTo(99_000);
        // the newest thousand are the ones held
        assertThat(m.get("m", Integer.toHexString(99_999))).isNotNull();
        assertThat(m.get("m", Integer.toHexString(98_999))).isNull();
    }

    private static List<String> keys(BoundedClientMap<int[]> m) {
        List<String> keys = new ArrayList<>();
        for (Map.Entry<String, int[]> e : m.entries()) {
            keys.add(e.getKey());
        }
        return keys;
    }
}
