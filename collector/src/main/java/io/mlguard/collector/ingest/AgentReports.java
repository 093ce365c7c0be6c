package io.mlguard.collector.ingest;

import io.mlguard.protocol.AgentStatsRecord;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest counters each agent reported about itself ({@link AgentStatsRecord}). Agents report
 * totals since they started, so keeping the latest per agent is exact however often the queue is
 * re-read. At most {@link #MAX_AGENTS} agents are kept: a queue shared by more is unusual, and the
 * metrics must stay bounded.
 */
public final class AgentReports {
    static final int MAX_AGENTS = 256;

    private final Map<String, AgentStatsRecord> latest = new ConcurrentHashMap<>();

    void report(AgentStatsRecord r) {
        if (r.agentId == null) {
            return;
        }
        if (latest.size() >= MAX_AGENTS && !latest.containsKey(r.agentId)) {
            return;
        }
        latest.merge(
                r.agentId, r, (old, now) -> now.timestampMillis >= old.timestampMillis ? now : old);
    }

    /** The latest report of every agent, by agent id. */
    public Map<String, AgentStatsRecord> latest() {
        return new TreeMap<>(latest);
    }
}
