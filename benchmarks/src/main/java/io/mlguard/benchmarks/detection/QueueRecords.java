package io.mlguard.benchmarks.detection;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlguard.protocol.InferenceRecord;
import io.mlguard.protocol.ModelLoadRecord;
import io.mlguard.protocol.RecordFormatException;
import io.mlguard.protocol.RecordReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycles;

/**
 * Every record the agent wrote in a session, read back from its queue, so that an incident can be
 * tied to the exact record that opened it: the collector derives an incident's id from its group
 * key and that record's queue index, and the same hash over each candidate index finds it.
 */
final class QueueRecords {
    /** One record: its queue index, model, client (null for none) and kind. */
    record Entry(long index, String model, String client, long timeMillis, boolean load) {}

    final List<Entry> entries = new ArrayList<>();
    private final Map<Long, Entry> byIndex = new HashMap<>();

    static QueueRecords read(Path queue) {
        QueueRecords q = new QueueRecords();
        try (ChronicleQueue cq =
                        ChronicleQueue.singleBuilder(queue.toFile())
                                .rollCycle(RollCycles.FAST_HOURLY)
                                .build();
                ExcerptTailer t = cq.createTailer()) {
            RecordReader.Handler h =
                    new RecordReader.Handler() {
                        @Override
                        public void inference(InferenceRecord r, long index) {
                            q.entries.add(
                                    new Entry(
                                            index,
                                            r.modelId,
                                            r.clientId,
                                            r.timestampMillis,
                                            false));
                        }

                        @Override
                        public void modelLoad(ModelLoadRecord r, long index) {
                            q.entries.add(
                                    new Entry(index, r.modelId, null, r.timestampMillis, true));
                        }

                        @Override
                        public void malformed(RecordFormatException e, long index) {}
                    };
            while (RecordReader.readOne(t, h)) {
                // all of it
            }
        }
        for (Entry e : q.entries) {
            q.byIndex.put(e.index(), e);
        }
        return q;
    }

    /** The record at a queue index, or null when there is none. */
    Entry at(long index) {
        return byIndex.get(index);
    }

    /**
     * The queue index of the record that opened the incident: its {@code firstRecordIndex} when the
     * collector gives it, else the record whose index makes the incident's id with the group key
     * parts ({@link #openingIndex}); -1 when none.
     */
    long openingIndex(JsonNode incident, String type, String model, String client) {
        if (incident.hasNonNull("firstRecordIndex")) {
            return incident.path("firstRecordIndex").asLong();
        }
        return openingIndex(incident.path("id").asText(), type, model, client);
    }

    /**
     * The queue index of the record that opened the incident with this id and group key parts, or
     * -1 when none matches.
     */
    long openingIndex(String incidentId, String type, String model, String client) {
        String key = type + '|' + model + '|' + client;
        for (Entry e : entries) {
            if (model.equals(e.model()) && incidentId.equals(incidentId(key, e.index()))) {
                return e.index();
            }
        }
        return -1;
    }

    /** As the collector's IncidentManager: {@code inc-} and 16 hex of SHA-256(key|index). */
    static String incidentId(String groupKey, long index) {
        try {
            byte[] d =
                    MessageDigest.getInstance("SHA-256")
                            .digest((groupKey + '|' + index).getBytes(StandardCharsets.UTF_8));
            return "inc-" + HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Records of {@code client} with an index at most {@code upTo}. */
    long countUpTo(String client, long upTo) {
        return countUpTo(client::equals, upTo);
    }

    /** Records of the matching clients with an index at most {@code upTo}. */
    long countUpTo(Predicate<String> clients, long upTo) {
        return entries.stream()
                .filter(
                        e ->
                                !e.load()
                                        && e.client() != null
                                        && clients.test(e.client())
                                        && e.index() <= upTo)
                .count();
    }
}
