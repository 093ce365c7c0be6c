package io.mlguard.collector.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of the ingest thread, read by the health endpoint, the metrics and the report. The
 * per-record counters are saved with each store commit ({@link #saveState()}) so that, after a
 * restart, they count every record of the queue once.
 */
public final class IngestStats {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AtomicLong recordsRead = new AtomicLong();
    private final AtomicLong inferenceRecords = new AtomicLong();
    private final AtomicLong modelLoadRecords = new AtomicLong();
    private final AtomicLong malformedRecords = new AtomicLong();
    private final AtomicLong detectorErrors = new AtomicLong();
    private final AtomicLong readErrors = new AtomicLong();
    private final Map<String, LongAdder> malformedByReason = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> signalsByDetector = new ConcurrentHashMap<>();
    private final TimeHistogram processingTime =
            new TimeHistogram(1e-6, 5e-6, 1e-5, 5e-5, 1e-4, 5e-4, 1e-3, 5e-3, 0.01, 0.1);
    private volatile long lastRecordTimestamp;
    private volatile long lagRecords;
    private volatile boolean caughtUp;
    private volatile boolean queueOpen;
    private volatile boolean stopped;
    private final AgentReports agents = new AgentReports();

    /** What the agents said of themselves. */
    public AgentReports agents() {
        return agents;
    }

    void inference(long timestamp) {
        inferenceRecords.incrementAndGet();
        read(timestamp);
    }

    void modelLoad(long timestamp) {
        modelLoadRecords.incrementAndGet();
        read(timestamp);
    }

    void malformed(String reason) {
        malformedByReason.computeIfAbsent(reason, r -> new LongAdder()).increment();
        malformedRecords.incrementAndGet();
        recordsRead.incrementAndGet();
    }

    private void read(long timestamp) {
        // Record time can step back a little between server threads; report the latest.
        if (timestamp > lastRecordTimestamp) {
            lastRecordTimestamp = timestamp;
        }
        recordsRead.incrementAndGet();
    }

    void detectorError() {
        detectorErrors.incrementAndGet();
    }

    void readError() {
        readErrors.incrementAndGet();
    }

    void queueOpen(boolean open) {
        queueOpen = open;
    }

    void stopped() {
        stopped = true;
    }

    /** Every document read: inference, model load and malformed. */
    public long recordsRead() {
        return recordsRead.get();
    }

    public long inferenceRecords() {
        return inferenceRecords.get();
    }

    public long modelLoadRecords() {
        return modelLoadRecords.get();
    }

    public long malformedRecords() {
        return malformedRecords.get();
    }

    /** Malformed records per reason ({@code unsupported_version}, {@code truncated}...). */
    public Map<String, Long> malformedByReason() {
        Map<String, Long> m = new TreeMap<>();
        malformedByReason.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }

    /** Exceptions thrown by a detector on a record (the record is still counted). */
    public long detectorErrors() {
        return detectorErrors.get();
    }

    /** Failures of the queue itself while reading (not of a record's content). */
    public long readErrors() {
        return readErrors.get();
    }

    /** Record time (epoch ms) of the latest record read; 0 before any. */
    public long lastRecordTimestamp() {
        return lastRecordTimestamp;
    }

    /** Whether the queue has been found and opened. */
    public boolean queueOpen() {
        return queueOpen;
    }

    /** {@code ok} while tailing, {@code waiting_for_queue} before, {@code stopped} after. */
    public String state() {
        if (stopped) {
            return "stopped";
        }
        return queueOpen ? "ok" : "waiting_for_queue";
    }

    void signal(String detector) {
        signalsByDetector.computeIfAbsent(detector, d -> new LongAdder()).increment();
    }

    void lag(long records, boolean caughtUpNow) {
        lagRecords = records;
        caughtUp = caughtUpNow;
    }

    /** Signals raised per detector name. */
    public Map<String, Long> signalsByDetector() {
        Map<String, Long> m = new TreeMap<>();
        signalsByDetector.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }

    /** Time spent handling each record (decoding excluded), all detectors together. */
    public TimeHistogram processingTime() {
        return processingTime;
    }

    /** Records written to the queue and not read yet, as of the last check (about 1 s). */
    public long lagRecords() {
        return lagRecords;
    }

    /** Whether the last poll found the queue fully read. */
    public boolean caughtUp() {
        return caughtUp;
    }

    /** The per-record counters as JSON, for the store's checkpoint. */
    public String saveState() {
        ObjectNode n = JSON.createObjectNode();
        n.put("recordsRead", recordsRead.get());
        n.put("inferenceRecords", inferenceRecords.get());
        n.put("modelLoadRecords", modelLoadRecords.get());
        n.put("malformedRecords", malformedRecords.get());
        n.put("detectorErrors", detectorErrors.get());
        n.put("lastRecordTimestamp", lastRecordTimestamp);
        n.set("malformedByReason", JSON.valueToTree(malformedByReason()));
        n.set("signalsByDetector", JSON.valueToTree(signalsByDetector()));
        return n.toString();
    }

    /** Puts back counters {@link #saveState()} returned; call before ingest starts. */
    public void restoreState(String state) {
        JsonNode n;
        try {
            n = JSON.readTree(state);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("stored ingest counters are not JSON", e);
        }
        recordsRead.set(n.path("recordsRead").asLong());
        inferenceRecords.set(n.path("inferenceRecords").asLong());
        modelLoadRecords.set(n.path("modelLoadRecords").asLong());
        malformedRecords.set(n.path("malformedRecords").asLong());
        detectorErrors.set(n.path("detectorErrors").asLong());
        lastRecordTimestamp = n.path("lastRecordTimestamp").asLong();
        restoreCounts(malformedByReason, n.path("malformedByReason"));
        restoreCounts(signalsByDetector, n.path("signalsByDetector"));
    }

    private static void restoreCounts(Map<String, LongAdder> target, JsonNode counts) {
        target.clear();
        counts.fields()
                .forEachRemaining(
                        e -> {
                            LongAdder a = new LongAdder();
                            a.add(e.getValue().asLong());
                            target.put(e.getKey(), a);
                        });
    }
}
