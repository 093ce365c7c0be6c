package io.mlguard.core;

import io.mlguard.core.config.AgentConfig;
import io.mlguard.core.queue.QueueWriter;
import io.mlguard.protocol.AgentStatsRecord;

/**
 * Writes the agent's own counters to the queue every few seconds, on a daemon thread of its own, so
 * the collector can tell a quiet server from an agent that drops records or fails. Class loader:
 * agent.
 */
final class AgentStatsReporter implements Runnable {
    private final QueueWriter writer;
    private final AgentCounters counters;
    private final AgentConfig config;
    private final long intervalMillis;
    private final long startMillis = System.currentTimeMillis();

    AgentStatsReporter(
            QueueWriter writer, AgentCounters counters, AgentConfig config, int intervalSeconds) {
        this.writer = writer;
        this.counters = counters;
        this.config = config;
        this.intervalMillis = intervalSeconds * 1000L;
    }

    /** Starts reporting every {@code intervalSeconds}; does nothing for 0. */
    static void start(QueueWriter writer, AgentCounters counters, AgentConfig config) {
        int intervalSeconds = config.statsIntervalSeconds;
        if (intervalSeconds <= 0) {
            return;
        }
        Thread t =
                new Thread(
                        new AgentStatsReporter(writer, counters, config, intervalSeconds),
                        "mlguard-stats");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void run() {
        while (true) {
            try {
                Thread.sleep(intervalMillis);
            } catch (InterruptedException e) {
                return;
            }
            try {
                writer.write(snapshot());
            } catch (Throwable t) {
                counters.internalErrors.increment();
                AgentLog.once("stats", "cannot write the agent's counters: " + t);
            }
        }
    }

    AgentStatsRecord snapshot() {
        AgentStatsRecord r = new AgentStatsRecord();
        r.timestampMillis = System.currentTimeMillis();
        r.agentId = config.agentId();
        r.uptimeMillis = r.timestampMillis - startMillis;
        r.inferencesRecorded = counters.inferencesRecorded.sum();
        r.modelLoadsRecorded = counters.modelLoadsRecorded.sum();
        r.recordsDropped = counters.recordsDropped.sum();
        r.internalErrors = counters.internalErrors.sum();
        r.inferencesRefused = counters.inferencesRefused.sum();
        r.capturePaused = writer.capturePaused();
        r.capturePauses = writer.capturePauses();
        r.captureSamples = counters.captureSamples.sum();
        r.captureSampleNanos = counters.captureSampleNanos.sum();
        r.recordsWrittenInline = counters.recordsWrittenInline.sum();
        r.inferencesNotSampled = counters.inferencesNotSampled.sum();
        return r;
    }
}
