package io.mlguard.collector.ingest;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** Counters of the ingest thread, read by the health endpoint and the report. */
public final class IngestStats {
    private final AtomicLong recordsRead = new AtomicLong();
    private final AtomicLong inferenceRecords = new AtomicLong();
    private final AtomicLong modelLoadRecords = new AtomicLong();
    private final AtomicLong malformedRecords = new AtomicLong();
    private final AtomicLong detectorErrors = new AtomicLong();
    private final AtomicLong readErrors = new AtomicLong();
    private final Map<String, LongAdder> malformedByReason = new ConcurrentHashMap<>();
    private volatile long lastRecordTimestamp;
    private volatile boolean queueOpen;
    private volatile boolean stopped;

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
}
