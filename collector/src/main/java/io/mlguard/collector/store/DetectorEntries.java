package io.mlguard.collector.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.mlguard.collector.detect.DetectorStateJson;
import io.mlguard.collector.detect.EntryCapture;
import io.mlguard.collector.detect.UnknownStateFormatException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One detector's entries as the last successful commit left them in {@code detector_entry}, and the
 * writing of a new capture's differences: the entries that are not the very objects the last commit
 * wrote are upserted, the keys gone are deleted. Compared with the last <em>successful</em> commit
 * (this memory moves only by {@link #committed}), so what a failed commit would have written is
 * written by the next one.
 *
 * <p>Order: each row has a sequence number, increasing in the state's order. An entry keeps its
 * number while it still comes after the entries before it (a changed one is rewritten under it);
 * any other gets a new number above all earlier ones. In a least-recently-seen order the unchanged
 * entries keep their relative order and the touched ones come after them, so only the touched ones
 * are rewritten; an order that breaks this costs more rows, never a wrong order.
 *
 * <p>After a restart the detector's entries are all new objects: rows read from the database are
 * compared by a digest of their JSON instead, so the first commit rewrites only what differs.
 * Committer thread only.
 */
final class DetectorEntries {
    private static final class Row {
        Object identity; // the entry last written, null if read from the database
        long seq;
        long seenIn; // the write attempt that last found this key in its capture
        byte[] digest; // while identity is null: of the JSON the database holds

        Row(Object identity, long seq) {
            this.identity = identity;
            this.seq = seq;
        }
    }

    /** What one write attempt changed, applied to the memory if it commits. */
    static final class Changes {
        private final List<Object[]> upserts = new ArrayList<>(); // key, identity, seq
        private final List<Object[]> matched = new ArrayList<>(); // key, identity
        private final List<String> deletes = new ArrayList<>();
        private long maxSeq;

        int upserts() {
            return upserts.size();
        }

        /** Rows read from the database found to hold the entry's JSON already: not rewritten. */
        int matched() {
            return matched.size();
        }

        int deletes() {
            return deletes.size();
        }
    }

    // how the header in the state table starts; a whole state (written before entry rows, or
    // by a detector without them) is a detector's own JSON object, never starting so
    private static final String HEADER_START = "{\"entryRows\":";

    private final String detector;
    private final Map<String, Row> saved = new HashMap<>();
    private long maxSeq;
    private long attempt;
    private MessageDigest sha;
    private byte[] chars;

    private DetectorEntries(String detector) {
        this.detector = detector;
    }

    /**
     * What the {@code state} table holds for a detector whose entries are rows: {@code
     * {"entryRows":"<array name>","header":<the state with an empty array>}}.
     */
    static String header(String arrayName, String header) {
        return HEADER_START + TextNode.valueOf(arrayName) + ",\"header\":" + header + "}";
    }

    /**
     * The whole state from what the {@code state} table holds for a detector: as it is when it is a
     * whole state; else its header with the entries in {@code detector_entry}, in seq order.
     */
    static String restore(String stored, StateDatabase db, String detector) throws SQLException {
        if (!stored.startsWith(HEADER_START)) {
            return stored;
        }
        JsonNode n = DetectorStateJson.parse(stored);
        JsonNode header = n.path("header");
        String arrayName = n.path("entryRows").asText();
        // anything else is a newer layout: restoring the part understood would drop the rest
        if (n.size() != 2
                || !n.path("entryRows").isTextual()
                || !header.isObject()
                || !header.path(arrayName).isArray()
                || header.path(arrayName).size() != 0) {
            throw new UnknownStateFormatException(
                    detector
                            + " entry header of a form this collector does not read: "
                            + (stored.length() > 200 ? stored.substring(0, 200) + "..." : stored));
        }
        return EntryCapture.assemble(header.toString(), arrayName, db.detectorEntries(detector));
    }

    /**
     * The rows the database holds for {@code detector}, inside the caller's transaction. Each is
     * remembered with a digest of its JSON: after a restart the detector's entries are all new
     * objects, and the first write rewrites only those whose JSON differs from the row's.
     */
    static DetectorEntries load(Connection c, String detector) throws SQLException {
        DetectorEntries d = new DetectorEntries(detector);
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT entry_key, seq, val FROM detector_entry WHERE detector=?")) {
            ps.setString(1, detector);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long seq = rs.getLong(2);
                    Row r = new Row(null, seq);
                    r.digest = d.digest(rs.getString(3));
                    d.saved.put(rs.getString(1), r);
                    d.maxSeq = Math.max(d.maxSeq, seq);
                }
            }
        }
        return d;
    }

    /** SHA-256 of the string's chars as they are (no encoding: it cannot map two to one). */
    private byte[] digest(String s) {
        if (sha == null) {
            try {
                sha = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java platform has SHA-256", e);
            }
            chars = new byte[8192];
        }
        int n = s.length();
        for (int i = 0; i < n; ) {
            int end = Math.min(n, i + chars.length / 2);
            int b = 0;
            for (; i < end; i++) {
                char ch = s.charAt(i);
                chars[b++] = (byte) (ch >>> 8);
                chars[b++] = (byte) ch;
            }
            sha.update(chars, 0, b);
        }
        return sha.digest();
    }

    /** Writes the differences of {@code capture} inside the caller's transaction. */
    Changes write(Connection c, EntryCapture capture) throws SQLException {
        long now = ++attempt;
        Changes ch = new Changes();
        long next = maxSeq;
        long last = Long.MIN_VALUE;
        try (PreparedStatement merge =
                        c.prepareStatement(
                                "MERGE INTO detector_entry(detector, entry_key, seq, val)"
                                        + " KEY(detector, entry_key) VALUES (?, ?, ?, ?)");
                PreparedStatement delete =
                        c.prepareStatement(
                                "DELETE FROM detector_entry WHERE detector=? AND entry_key=?")) {
            int batched = 0;
            for (int i = 0; i < capture.size(); i++) {
                String key = capture.key(i);
                Object identity = capture.identity(i);
                Row r = saved.get(key);
                if (r != null) {
                    r.seenIn = now;
                    if (r.identity == identity && r.seq > last) {
                        last = r.seq;
                        continue;
                    }
                    if (r.identity == null
                            && r.seq > last
                            && Arrays.equals(r.digest, digest(capture.json(i)))) {
                        last = r.seq; // read from the database, and the entry is that still
                        ch.matched.add(new Object[] {key, identity});
                        continue;
                    }
                }
                // in place if still in order (changed where it stood), else after all others
                last = r != null && r.seq > last ? r.seq : ++next;
                merge.setString(1, detector);
                merge.setString(2, key);
                merge.setLong(3, last);
                merge.setString(4, capture.json(i));
                merge.addBatch();
                ch.upserts.add(new Object[] {key, identity, last});
                if (++batched % 1_000 == 0) {
                    merge.executeBatch(); // bounded batches: the JSON is not all held at once
                }
            }
            merge.executeBatch();
            for (Map.Entry<String, Row> e : saved.entrySet()) {
                if (e.getValue().seenIn != now) {
                    delete.setString(1, detector);
                    delete.setString(2, e.getKey());
                    delete.addBatch();
                    ch.deletes.add(e.getKey());
                }
            }
            delete.executeBatch();
        }
        ch.maxSeq = next;
        return ch;
    }

    /** The transaction that wrote {@code ch} committed. */
    void committed(Changes ch) {
        for (Object[] u : ch.upserts) {
            Row r = saved.get((String) u[0]);
            if (r == null) {
                saved.put((String) u[0], new Row(u[1], (Long) u[2]));
            } else {
                r.identity = u[1];
                r.seq = (Long) u[2];
                r.digest = null;
            }
        }
        for (Object[] m : ch.matched) {
            Row r = saved.get((String) m[0]);
            r.identity = m[1];
            r.digest = null;
        }
        for (String key : ch.deletes) {
            saved.remove(key);
        }
        maxSeq = ch.maxSeq;
    }
}
