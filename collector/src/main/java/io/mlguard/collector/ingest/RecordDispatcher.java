package io.mlguard.collector.ingest;

import io.mlguard.collector.detect.Detector;
import io.mlguard.collector.detect.SignalSink;
import io.mlguard.protocol.AgentStatsRecord;
import io.mlguard.protocol.InferenceRecord;
import io.mlguard.protocol.ModelLoadRecord;
import io.mlguard.protocol.RecordFormatException;
import io.mlguard.protocol.RecordReader;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives each decoded record, counts it and hands it to every detector. Nothing thrown by a
 * detector escapes: the record is counted, the failure logged (rate-limited), and ingest goes on.
 */
public final class RecordDispatcher implements RecordReader.Handler {
    private static final Logger LOG = LoggerFactory.getLogger(RecordDispatcher.class);

    private final List<Detector> detectors;
    private final SignalSink[] sinks; // one per detector: counts its signals, then forwards
    private final IngestStats stats;
    private final RateLimitedLog rateLimited =
            new RateLimitedLog(LOG, TimeUnit.SECONDS.toNanos(10), System::nanoTime);

    public RecordDispatcher(List<Detector> detectors, SignalSink sink, IngestStats stats) {
        this.detectors = List.copyOf(detectors);
        this.sinks = new SignalSink[this.detectors.size()];
        for (int i = 0; i < sinks.length; i++) {
            String name = this.detectors.get(i).name();
            sinks[i] =
                    s -> {
                        stats.signal(name);
                        sink.accept(s);
                    };
        }
        this.stats = stats;
    }

    @Override
    public void inference(InferenceRecord record, long index) {
        long start = System.nanoTime();
        stats.inference(record.timestampMillis);
        for (int i = 0; i < sinks.length; i++) {
            Detector d = detectors.get(i);
            try {
                d.onInference(record, index, sinks[i]);
            } catch (RuntimeException e) {
                detectorFailed(d, index, e);
            }
        }
        stats.processingTime().observeNanos(System.nanoTime() - start);
    }

    @Override
    public void modelLoad(ModelLoadRecord record, long index) {
        long start = System.nanoTime();
        stats.modelLoad(record.timestampMillis);
        for (int i = 0; i < sinks.length; i++) {
            Detector d = detectors.get(i);
            try {
                d.onModelLoad(record, index, sinks[i]);
            } catch (RuntimeException e) {
                detectorFailed(d, index, e);
            }
        }
        stats.processingTime().observeNanos(System.nanoTime() - start);
    }

    @Override
    public void agentStats(AgentStatsRecord record, long index) {
        stats.agents().report(record);
    }

    @Override
    public void malformed(RecordFormatException error, long index) {
        String reason = MalformedReason.of(error);
        stats.malformed(reason);
        rateLimited.warn(
                "malformed:" + reason,
                "skipped malformed record at index 0x"
                        + Long.toHexString(index)
                        + ": "
                        + error.getMessage());
    }

    private void detectorFailed(Detector d, long index, RuntimeException e) {
        stats.detectorError();
        if (rateLimited.warn(
                "detector:" + d.name(),
                "detector "
                        + d.name()
                        + " failed on record 0x"
                        + Long.toHexString(index)
                        + ": "
                        + e)) {
            LOG.debug("detector failure", e);
        }
    }
}
