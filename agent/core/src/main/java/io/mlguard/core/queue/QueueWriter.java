package io.mlguard.core.queue;

import io.mlguard.core.AgentCounters;
import io.mlguard.core.AgentLog;
import io.mlguard.protocol.InferenceRecord;
import io.mlguard.protocol.ModelLoadRecord;
import java.io.File;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Appends records to the host's Chronicle Queue. Class loader: agent. One appender per writing
 * thread (Chronicle's rule); each record is one document written field by field, so the data
 * carries no class names and an unshaded collector reads what the relocated agent wrote.
 *
 * <p>Failures never reach the caller: a record that cannot be written is dropped and counted, and
 * after repeated failures (an unwritable directory, a full disk) the writer stops trying, says so
 * once, and inference goes on.
 */
public final class QueueWriter implements AutoCloseable {
    private static final int MAX_CONSECUTIVE_FAILURES = 100;

    private final ChronicleQueue queue;
    private final AgentCounters counters;
    private final ThreadLocal<ExcerptAppender> appenders;
    private volatile boolean disabled;
    private int consecutiveFailures;

    private QueueWriter(ChronicleQueue queue, AgentCounters counters) {
        this.queue = queue;
        this.counters = counters;
        this.appenders = ThreadLocal.withInitial(queue::createAppender);
    }

    /** Opens (creating if needed) the queue in {@code dir}; throws if it cannot be opened. */
    public static QueueWriter open(File dir, AgentCounters counters) {
        if (!dir.isDirectory() && !dir.mkdirs()) {
            throw new IllegalStateException("cannot create queue directory " + dir);
        }
        if (!dir.canWrite()) {
            throw new IllegalStateException("queue directory " + dir + " is not writable");
        }
        ChronicleQueue q =
                ChronicleQueue.singleBuilder(dir).rollCycle(RollCycles.FAST_HOURLY).build();
        return new QueueWriter(q, counters);
    }

    public boolean write(InferenceRecord record) {
        if (disabled) {
            counters.recordsDropped.increment();
            return false;
        }
        try (DocumentContext dc = appenders.get().writingDocument()) {
            record.writeTo(dc.wire().bytes());
        } catch (Throwable t) {
            return failed(t);
        }
        consecutiveFailures = 0;
        counters.inferencesRecorded.increment();
        return true;
    }

    public boolean write(ModelLoadRecord record) {
        if (disabled) {
            counters.recordsDropped.increment();
            return false;
        }
        try (DocumentContext dc = appenders.get().writingDocument()) {
            record.writeTo(dc.wire().bytes());
        } catch (Throwable t) {
            return failed(t);
        }
        consecutiveFailures = 0;
        counters.modelLoadsRecorded.increment();
        return true;
    }

    private boolean failed(Throwable t) {
        counters.recordsDropped.increment();
        AgentLog.once(
                "queue-write",
                "cannot write to the queue ("
                        + t
                        + "); records are dropped and counted, inference goes on");
        if (++consecutiveFailures >= MAX_CONSECUTIVE_FAILURES) {
            disabled = true;
            AgentLog.once(
                    "queue-disabled",
                    "stopped capturing after "
                            + MAX_CONSECUTIVE_FAILURES
                            + " failed writes; the server keeps serving");
        }
        return false;
    }

    public boolean isDisabled() {
        return disabled;
    }

    @Override
    public void close() {
        disabled = true;
        queue.close();
    }
}
