package io.mlguard.collector.ingest;

import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Moves a tailer to just after the last record whose effects the store committed. */
final class ResumePosition {
    private static final Logger LOG = LoggerFactory.getLogger(ResumePosition.class);

    private ResumePosition() {}

    static void after(ChronicleQueue queue, ExcerptTailer tailer, long committedIndex) {
        if (committedIndex < 0) {
            // Nothing stored yet (a new state directory): everything in the queue is new to it.
            tailer.toStart();
            return;
        }
        if (tailer.moveToIndex(committedIndex)) {
            // The committed record itself was applied: read past it.
            try (DocumentContext dc = tailer.readingDocument()) {
                if (dc.isPresent() && dc.index() == committedIndex) {
                    return;
                }
            }
            LOG.warn(
                    "checkpoint 0x{} is not a record of queue {}: reading it from the start",
                    Long.toHexString(committedIndex),
                    queue.fileAbsolutePath());
        } else if (queue.firstIndex() > committedIndex && queue.firstIndex() != Long.MAX_VALUE) {
            LOG.warn(
                    "records after checkpoint 0x{} were deleted from the queue before they were"
                            + " read (retention); resuming at its first record 0x{}",
                    Long.toHexString(committedIndex),
                    Long.toHexString(queue.firstIndex()));
        } else {
            LOG.warn(
                    "checkpoint 0x{} is past the end of queue {} (was the queue replaced?):"
                            + " reading it from the start",
                    Long.toHexString(committedIndex),
                    queue.fileAbsolutePath());
        }
        tailer.toStart();
    }
}
