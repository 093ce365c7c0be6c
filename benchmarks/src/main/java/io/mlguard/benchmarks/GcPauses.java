package io.mlguard.benchmarks;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * The JVM's stop-the-world collections while a benchmark runs, from the garbage collectors' own
 * notifications: how many, their total and the longest. A collector that keeps the ingest thread
 * busy less per record may stop it for longer, so the throughput figure is printed with this one.
 * Concurrent cycles (G1's, run beside the application) are not pauses and are left out.
 */
final class GcPauses {
    private final List<Long> millis = new ArrayList<>();
    private final List<String> names = new ArrayList<>();

    /** Starts listening to every collector of this JVM. */
    GcPauses() {
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) gc)
                    .addNotificationListener(
                            (n, handback) -> {
                                if (n.getType()
                                        .equals(
                                                GarbageCollectionNotificationInfo
                                                        .GARBAGE_COLLECTION_NOTIFICATION)) {
                                    record(
                                            GarbageCollectionNotificationInfo.from(
                                                    (CompositeData) n.getUserData()));
                                }
                            },
                            null,
                            null);
        }
    }

    private synchronized void record(GarbageCollectionNotificationInfo info) {
        if (info.getGcName().contains("Concurrent")) {
            return; // a concurrent cycle, not a pause
        }
        millis.add(info.getGcInfo().getDuration());
        names.add(info.getGcName());
    }

    /** Forgets the pauses so far. */
    synchronized void reset() {
        millis.clear();
        names.clear();
    }

    /** How many pauses since the last {@link #reset()}: a mark for {@link #summary(int)}. */
    synchronized int mark() {
        return millis.size();
    }

    /** The pauses since the last {@link #reset()}: count, total, longest and by which collector. */
    String summary() {
        return summary(0);
    }

    /** As {@link #summary()}, of the pauses after {@code mark}. */
    synchronized String summary(int mark) {
        long total = 0;
        long longest = 0;
        TreeSet<String> collectors = new TreeSet<>();
        for (int i = mark; i < millis.size(); i++) {
            total += millis.get(i);
            longest = Math.max(longest, millis.get(i));
            collectors.add(names.get(i));
        }
        return String.format(
                Locale.ROOT,
                "%d GC pauses, %d ms in all, longest %d ms (%s)",
                millis.size() - mark,
                total,
                longest,
                String.join(", ", collectors));
    }
}
