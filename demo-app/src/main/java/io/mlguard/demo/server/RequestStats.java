package io.mlguard.demo.server;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Request counters per client (from the {@code X-Client-Id} header) and inference counters per
 * model, shown at {@code GET /v2/stats}. Purely informational.
 */
final class RequestStats {
    // client ids come from a header anyone can set: bound the map so it cannot grow forever
    private static final int MAX_CLIENTS = 10_000;
    private static final String OTHER = "(other)";

    private final LongAdder total = new LongAdder();
    private final Map<String, LongAdder> perClient = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> perModel = new ConcurrentHashMap<>();

    void request(String client) {
        total.increment();
        String key =
                perClient.size() < MAX_CLIENTS || perClient.containsKey(client) ? client : OTHER;
        perClient.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    void inference(String model) {
        perModel.computeIfAbsent(model, k -> new LongAdder()).increment();
    }

    Map<String, Object> snapshot() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("requests_total", total.sum());
        body.put("clients", sums(perClient));
        body.put("inferences", sums(perModel));
        return body;
    }

    private static Map<String, Long> sums(Map<String, LongAdder> counters) {
        Map<String, Long> sums = new TreeMap<>();
        counters.forEach((k, v) -> sums.put(k, v.sum()));
        return sums;
    }
}
