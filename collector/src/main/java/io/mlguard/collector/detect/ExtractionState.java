package io.mlguard.collector.detect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@link ExtractionDetector}'s checkpoint. Compact ({@code "v": 2}): per client its counters,
 * its distance window as one base64 string of floats, and each set of fingerprints as one base64
 * string of cells per class partition. The first format (version 1: a 128-query ring per client and
 * the distances as a JSON array) is still read: its distances and counters carry over, and the last
 * queries of its ring become the client's recent queries; it had no classes, so the per-class sets
 * start empty.
 */
final class ExtractionState {
    private static final int VERSION = 2;

    /** The array of the clients' states. */
    static final String CLIENTS = "clients";

    /** Every field a state has ever had: any other is a newer format's. */
    private static final Set<String> FIELDS = Set.of("v", "clientEvictions", CLIENTS);

    private ExtractionState() {}

    /** Clients least recently seen first, the eviction order. */
    static String save(List<Map.Entry<String, ExtractionClient>> clients, long evictions) {
        List<String> cs = new ArrayList<>(clients.size());
        for (Map.Entry<String, ExtractionClient> e : clients) {
            cs.add(client(e.getKey(), e.getValue()));
        }
        return assemble(cs, evictions);
    }

    /** The state from the JSON of each client ({@link #client}), in eviction order. */
    static String assemble(List<String> clients, long evictions) {
        Map<String, Long> numbers = new LinkedHashMap<>();
        numbers.put("v", (long) VERSION);
        numbers.put("clientEvictions", evictions);
        return DetectorStateJson.assemble(numbers, CLIENTS, clients, null, null);
    }

    /** One client's part of the state. */
    static String client(String key, ExtractionClient c) {
        ObjectNode o = DetectorStateJson.MAPPER.createObjectNode();
        o.put("key", key);
        o.put("queries", c.queries);
        o.put("firstMillis", c.firstMillis);
        o.put("classesSeen", c.classesSeen);
        o.put("quietUntil", c.quietUntil);
        o.put("added", c.added);
        o.put("length", c.length);
        double[] window = new double[ExtractionDetector.DISTANCES];
        int filled = c.distancesInOrder(window, ExtractionDetector.DISTANCES);
        ByteBuffer d = ByteBuffer.allocate(4 * filled);
        for (int i = 0; i < filled; i++) {
            d.putFloat((float) window[i]);
        }
        o.put("distances", Base64.getEncoder().encodeToString(d.array()));
        o.set("recent", set(c.recent, c.length));
        ArrayNode ks = o.putArray("kept");
        for (int p = 0; p < ExtractionClient.PARTITIONS; p++) {
            if (c.kept[p] != null) {
                ks.add(set(c.kept[p], c.length).put("partition", p));
            }
        }
        return o.toString();
    }

    private static ObjectNode set(NearestQuerySet s, int length) {
        ObjectNode o = DetectorStateJson.MAPPER.createObjectNode();
        o.put("next", s.next());
        o.put("offered", s.offered());
        ByteBuffer b = ByteBuffer.allocate(s.size() * length);
        for (int i = 0; i < s.size(); i++) {
            b.put(s.entry(i, length));
        }
        o.put("cells", Base64.getEncoder().encodeToString(b.array()));
        return o;
    }

    /**
     * Fills {@code into} (in the saved order) and returns the eviction count.
     *
     * @throws IllegalArgumentException if the state cannot be read
     */
    static long restore(String state, Map<String, ExtractionClient> into, int window) {
        JsonNode n = DetectorStateJson.parseKnown(state, "extraction", CLIENTS, FIELDS);
        JsonNode v = n.get("v"); // absent in version 1
        if (v != null && (!v.isInt() || v.intValue() < 1 || v.intValue() > VERSION)) {
            throw new UnknownStateFormatException(
                    "extraction state of version " + v + ": this collector reads 1 to " + VERSION);
        }
        try {
            for (JsonNode o : n.path("clients")) {
                ExtractionClient c =
                        n.path("v").asInt(1) >= 2 ? client(o, window) : versionOne(o, window);
                into.put(o.path("key").asText(), c);
            }
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "extraction state cannot be read: " + e.getMessage(), e);
        }
        return n.path("clientEvictions").asLong();
    }

    private static ExtractionClient client(JsonNode o, int window) {
        ExtractionClient c = counters(o);
        c.length = o.path("length").asInt();
        if (c.length < 0 || c.length > NearestQuerySet.MAX_LENGTH) {
            throw new IllegalArgumentException("fingerprint length " + c.length);
        }
        ByteBuffer d = ByteBuffer.wrap(Base64.getDecoder().decode(o.path("distances").asText()));
        if (d.remaining() % 4 != 0 || d.remaining() / 4 > window) {
            throw new IllegalArgumentException("distance window does not fit");
        }
        while (d.hasRemaining()) {
            c.addDistance(d.getFloat(), window);
        }
        c.added = o.path("added").asLong();
        restoreSet(c.recent, o.path("recent"), c.length);
        for (JsonNode ko : o.path("kept")) {
            int p = ko.path("partition").asInt(-1);
            if (p < 0 || p >= ExtractionClient.PARTITIONS || c.kept[p] != null) {
                throw new IllegalArgumentException("class partition " + p);
            }
            restoreSet(c.kept(p), ko, c.length);
        }
        return c;
    }

    private static void restoreSet(NearestQuerySet s, JsonNode o, int length) {
        byte[] all = Base64.getDecoder().decode(o.path("cells").asText());
        if (length == 0 ? all.length != 0 : all.length % length != 0) {
            throw new IllegalArgumentException("fingerprint cells do not fit their length");
        }
        byte[][] entries = new byte[length == 0 ? 0 : all.length / length][];
        for (int i = 0; i < entries.length; i++) {
            entries[i] = Arrays.copyOfRange(all, i * length, (i + 1) * length);
        }
        s.restore(entries, length, o.path("next").asInt(), o.path("offered").asLong());
    }

    private static ExtractionClient counters(JsonNode o) {
        ExtractionClient c = new ExtractionClient();
        c.queries = o.path("queries").asLong();
        c.firstMillis = o.path("firstMillis").asLong();
        c.classesSeen = o.path("classesSeen").asLong();
        c.quietUntil = o.path("quietUntil").asLong();
        return c;
    }

    /** Version 1: {@code filled}/{@code next} distance ring and a FingerprintRing "history". */
    private static ExtractionClient versionOne(JsonNode o, int window) {
        ExtractionClient c = counters(o);
        int filled = o.path("filled").asInt();
        int next = o.path("next").asInt();
        JsonNode d = o.path("distances");
        if (filled < 0 || filled > window || d.size() != filled || next < 0 || next >= window) {
            throw new IllegalArgumentException("extraction client state is inconsistent");
        }
        int start = filled < window ? 0 : next; // the old ring's oldest distance
        for (int i = 0; i < filled; i++) {
            c.addDistance(DetectorStateJson.toDouble(d.get((start + i) % window)), window);
        }
        c.added = o.path("added").asLong();
        byte[][] ring = versionOneRing(o.path("history"));
        int[] sums = new int[NearestQuerySet.BLOCKS];
        for (int i = Math.max(0, ring.length - ExtractionClient.RECENT); i < ring.length; i++) {
            byte[] f = ring[i];
            if (f.length < ExtractionDetector.MIN_LENGTH
                    || (c.length != 0 && f.length != c.length)) {
                continue;
            }
            c.length = f.length;
            NearestQuerySet.blockSums(f, f.length, sums);
            c.recent.add(f, f.length, sums, ExtractionDetector.hash(f, f.length));
        }
        return c;
    }

    /**
     * The fingerprints of a version-1 history ring (128 slots), oldest first: {@code data} holds
     * {@code [length][cells][owner (4 bytes)]} per slot; the form before it, {@code slots}, one
     * {@code [base64, hash, owner]} array per slot.
     */
    private static byte[][] versionOneRing(JsonNode h) {
        final int capacity = 128;
        int next = h.path("next").asInt();
        byte[][] slots;
        if (h.has("slots")) {
            slots = new byte[h.path("slots").size()][];
            for (int s = 0; s < slots.length; s++) {
                slots[s] = Base64.getDecoder().decode(h.path("slots").get(s).path(0).asText());
            }
        } else {
            int size = h.path("size").asInt();
            if (size < 0 || size > capacity) {
                throw new IllegalArgumentException("history ring of " + size);
            }
            ByteBuffer b = ByteBuffer.wrap(Base64.getDecoder().decode(h.path("data").asText()));
            slots = new byte[size][];
            for (int s = 0; s < size; s++) {
                slots[s] = new byte[b.get() & 0xff];
                b.get(slots[s]);
                b.getInt();
            }
        }
        if (slots.length > capacity || next < 0 || next >= capacity) {
            throw new IllegalArgumentException("history ring does not fit 128 slots");
        }
        byte[][] ordered = new byte[slots.length][];
        int start = slots.length < capacity ? 0 : next;
        for (int i = 0; i < slots.length; i++) {
            ordered[i] = slots[(start + i) % slots.length];
            if (ordered[i].length > NearestQuerySet.MAX_LENGTH) {
                throw new IllegalArgumentException("fingerprint longer than 64 cells");
            }
        }
        return ordered;
    }
}
