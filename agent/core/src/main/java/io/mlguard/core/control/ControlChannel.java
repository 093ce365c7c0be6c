package io.mlguard.core.control;

import io.mlguard.core.AgentLog;
import io.mlguard.protocol.ControlRecord;
import io.mlguard.protocol.InferenceRecord;
import io.mlguard.protocol.ModelLoadRecord;
import io.mlguard.protocol.RecordFormatException;
import io.mlguard.protocol.RecordReader;
import java.io.File;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptTailer;

/**
 * Reads the control queue the collector writes, on a daemon thread, into {@link ControlRules}.
 * Class loader: agent. It reads from the start: commands expire, so replaying old ones is harmless
 * and a restarted agent picks up the rules still in force. A missing or broken control queue is
 * reported once and retried; inference never waits for it (fail-open).
 */
public final class ControlChannel implements Runnable, RecordReader.Handler {
    private static final long IDLE_MILLIS = 20;
    private static final long RETRY_MILLIS = 1_000;

    private final File dir;
    private final ControlRules rules;
    private volatile boolean running = true;

    private ControlChannel(File dir, ControlRules rules) {
        this.dir = dir;
        this.rules = rules;
    }

    /** Starts reading {@code dir} in the background. */
    public static ControlChannel start(File dir, ControlRules rules, ClassLoader agentLoader) {
        ControlChannel c = new ControlChannel(dir, rules);
        Thread t = new Thread(c, "mlguard-control");
        t.setDaemon(true);
        t.setContextClassLoader(agentLoader);
        t.start();
        return c;
    }

    @Override
    public void run() {
        while (running) {
            if (!new File(dir, "metadata.cq4t").exists()) {
                AgentLog.once(
                        "control-missing",
                        "control queue " + dir + " does not exist yet; enforcement waits for it");
                sleep(RETRY_MILLIS);
                continue;
            }
            try (ChronicleQueue q = ChronicleQueue.singleBuilder(dir).build()) {
                ExcerptTailer tailer = q.createTailer();
                AgentLog.debug("reading control queue " + dir);
                while (running) {
                    if (!RecordReader.readOne(tailer, this)) {
                        sleep(IDLE_MILLIS);
                    }
                }
            } catch (Throwable t) {
                AgentLog.once(
                        "control-broken",
                        "cannot read control queue " + dir + " (" + t + "); inference goes on");
                sleep(RETRY_MILLIS);
            }
        }
    }

    @Override
    public void control(ControlRecord record, long index) {
        long now = System.currentTimeMillis();
        rules.apply(record, now, System.nanoTime());
        if (record.action == ControlRecord.Action.SAMPLE && record.expiresAtMillis > now) {
            // what the agent records changes: said, as the operator's command it is
            AgentLog.info(
                    "recording one inference in "
                            + record.recordEvery
                            + " of "
                            + (ControlRecord.EVERY_CLIENT.equals(record.clientId)
                                    ? "every client without a rule of its own"
                                    : "client '" + record.clientId + "'")
                            + (record.model == null ? "" : " of model '" + record.model + "'")
                            + " until "
                            + java.time.Instant.ofEpochMilli(record.expiresAtMillis)
                            + " (control command from "
                            + record.issuedBy
                            + ")");
        }
        AgentLog.debug("control: " + record);
    }

    @Override
    public void inference(InferenceRecord record, long index) {}

    @Override
    public void modelLoad(ModelLoadRecord record, long index) {}

    @Override
    public void malformed(RecordFormatException error, long index) {
        AgentLog.once(
                "control-malformed", "skipping a malformed control record: " + error.getMessage());
    }

    public void stop() {
        running = false;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
