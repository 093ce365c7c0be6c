package io.mlguard.collector.ingest;

import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;

/** How many records the queue holds past the last one read. */
final class Lag {
    private Lag() {}

    static long records(ChronicleQueue queue, long lastRead) {
        try {
            long lastIndex = queue.lastIndex();
            if (lastIndex < 0 || lastIndex == lastRead) {
                return 0;
            }
            if (!(queue instanceof SingleChronicleQueue)) {
                return -1;
            }
            SingleChronicleQueue q = (SingleChronicleQueue) queue;
            long from = lastRead < 0 ? q.firstIndex() : lastRead;
            // countExcerpts counts [from, to): from the last read (already handled) up to the last
            // written (not yet handled) these are the same number.
            long n = q.countExcerpts(from, lastIndex);
            return lastRead < 0 ? n + 1 : n;
        } catch (RuntimeException e) {
            return -1; // a cycle rolled away under us: unknown this time
        }
    }
}
