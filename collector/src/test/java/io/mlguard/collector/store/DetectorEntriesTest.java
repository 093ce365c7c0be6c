package io.mlguard.collector.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mlguard.collector.TestTraffic;
import io.mlguard.collector.detect.CheckpointTraffic;
import io.mlguard.collector.detect.Checkpointable;
import io.mlguard.collector.detect.Detector;
import io.mlguard.collector.detect.DetectorStateJson;
import io.mlguard.collector.detect.EntryCapture;
import io.mlguard.collector.ingest.IngestStats;
import io.mlguard.protocol.InferenceRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The query-attack and extraction detectors checkpoint their clients as rows of {@code
 * detector_entry}, each commit writing the entries changed since the last successful one: what is
 * restored must still be exactly the state committed, in the same least-recently-seen order.
 */
class DetectorEntriesTest {
    @TempDir Path tmp;

    /** A detector of the whole-state kind whose commit can be made to fail. */
    private static final class Failing implements Detector, Checkpointable {
        volatile boolean fail;

        @Override
        public String name() {
            return "failing";
        }

        @Override
        public void onInference(
                InferenceRecord r, long index, io.mlguard.collector.detect.SignalSink sink) {}

        @Override
        public String saveState() {
            return "{}";
        }

        @Override
        public Supplier<String> captureState() {
            boolean failing = fail;
            return () -> {
                if (failing) {
                    throw new IllegalStateException("this commit fails");
                }
                return "{}";
            };
        }

        @Override
        public void restoreState(String state) {}
    }

    /** Batches that never fill: only {@link #commit} commits. */
    private static StoreCheckpoint checkpoint(DurableState state, List<Detector> ds)
            throws Exception {
        return state.restore(
                StoreCheckpointTest.manager(state), ds, new IngestStats(), 1_000_000, 3_600_000);
    }

    private static void commit(StoreCheckpoint cp, long index) {
        cp.recordDone(index);
        assertThat(cp.commit()).isTrue();
        cp.awaitCommitted();
    }

    /** Fresh detectors restored from the database in {@code dir}. */
    private static List<Detector> restored(Path dir) throws Exception {
        List<Detector> ds = CheckpointTraffic.detectors();
        try (DurableState state = DurableState.open(dir)) {
            checkpoint(state, ds);
        }
        return ds;
    }

    private static List<String> rowKeys(Connection c, String detector) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT entry_key FROM detector_entry WHERE detector=? ORDER BY seq")) {
            ps.setString(1, detector);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    @Test
    void aRestoreAfterManyCommitsWithEvictionsEqualsTheCommittedState() throws Exception {
        List<Detector> original = CheckpointTraffic.detectors();
        // close together (few clients touched), far apart, and past the client evictions
        int[] cuts = {500, 501, 530, 3_000, 6_000, 6_001, 9_000, 11_000};
        List<String> committed;
        try (DurableState state = DurableState.open(tmp)) {
            StoreCheckpoint cp = checkpoint(state, original);
            int fed = 0;
            for (int cut : cuts) {
                CheckpointTraffic.feed(original, fed, cut);
                fed = cut;
                commit(cp, cut - 1);
            }
            committed = CheckpointTraffic.states(original);
            assertThat(cp.commitFailures()).isZero();
            // no close(): as after a crash, only what was committed is there
        }
        for (Detector d : original) {
            assertThat(CheckpointTraffic.evictions(d)).as(d.name()).isPositive();
        }
        List<Detector> back = restored(tmp);
        assertThat(CheckpointTraffic.states(back)).isEqualTo(committed);
        // the next new client evicts the same least recently seen client in both
        int last = cuts[cuts.length - 1];
        for (int i = 0; i < original.size(); i++) {
            assertThat(CheckpointTraffic.keys(back.get(i)))
                    .isEqualTo(CheckpointTraffic.keys(original.get(i)));
        }
        List<String> before = CheckpointTraffic.keys(original.get(1));
        int newClient = firstNewClient(last, new HashSet<>(before));
        CheckpointTraffic.feed(original, newClient, newClient + 1);
        CheckpointTraffic.feed(back, newClient, newClient + 1);
        Set<String> evictedOriginal = new HashSet<>(before);
        evictedOriginal.removeAll(CheckpointTraffic.keys(original.get(1)));
        Set<String> evictedBack = new HashSet<>(before);
        evictedBack.removeAll(CheckpointTraffic.keys(back.get(1)));
        assertThat(evictedOriginal).containsExactly(before.get(0));
        assertThat(evictedBack).isEqualTo(evictedOriginal);
        // and the rest of the traffic is judged alike
        List<String> expected = CheckpointTraffic.feed(original, last, CheckpointTraffic.size());
        List<String> actual = CheckpointTraffic.feed(back, last, CheckpointTraffic.size());
        assertThat(expected).isNotEmpty();
        assertThat(actual).isEqualTo(expected);
        assertThat(CheckpointTraffic.states(back)).isEqualTo(CheckpointTraffic.states(original));
    }

    /** The index of the first record from {@code from} on whose client is not in {@code held}. */
    private static int firstNewClient(int from, Set<String> held) {
        for (int k = from; k < CheckpointTraffic.size(); k++) {
            if (!held.containsAll(CheckpointTraffic.keysOf(k, k + 1))) {
                return k;
            }
        }
        throw new AssertionError("no new client in the traffic");
    }

    @Test
    void aFailedCommitLosesNothingTheNextOneWrites() throws Exception {
        List<Detector> original = CheckpointTraffic.detectors();
        Failing failing = new Failing();
        List<Detector> all = new ArrayList<>(original);
        all.add(failing);
        List<String> committed;
        try (DurableState state = DurableState.open(tmp)) {
            StoreCheckpoint cp = checkpoint(state, all);
            CheckpointTraffic.feed(original, 0, 4_000);
            commit(cp, 3_999);
            // many clients touched (and some evicted) in a commit that fails...
            CheckpointTraffic.feed(original, 4_000, 7_000);
            failing.fail = true;
            commit(cp, 6_999);
            assertThat(cp.commitFailures()).isEqualTo(1);
            assertThat(cp.committedIndex()).isEqualTo(3_999);
            // ...and few in the next one, which must write the failed one's changes too
            failing.fail = false;
            CheckpointTraffic.feed(original, 7_000, 7_008);
            commit(cp, 7_007);
            assertThat(cp.commitFailures()).isEqualTo(1);
            assertThat(cp.committedIndex()).isEqualTo(7_007);
            committed = CheckpointTraffic.states(original);
        }
        assertThat(CheckpointTraffic.states(restored(tmp))).isEqualTo(committed);
    }

    @Test
    void aDetectorWhoseClientsAreAllGoneRestoresWithoutAny() throws Exception {
        List<Detector> original = CheckpointTraffic.detectors();
        try (DurableState state = DurableState.open(tmp)) {
            StoreCheckpoint cp = checkpoint(state, original);
            CheckpointTraffic.feed(original, 0, 3_000);
            commit(cp, 2_999);
            List<Detector> fresh = CheckpointTraffic.detectors();
            for (int i = 0; i < original.size(); i++) {
                assertThat(CheckpointTraffic.keys(original.get(i))).isNotEmpty();
                // every client gone at once: every row is deleted
                ((Checkpointable) original.get(i))
                        .restoreState(((Checkpointable) fresh.get(i)).saveState());
            }
            commit(cp, 3_000);
        }
        try (StateDatabase db = StateDatabase.open(tmp)) {
            for (Detector d : original) {
                assertThat(rowKeys(db.ingestConnection(), d.name())).isEmpty();
            }
        }
        List<Detector> back = restored(tmp);
        assertThat(CheckpointTraffic.states(back)).isEqualTo(CheckpointTraffic.states(original));
        for (Detector d : back) {
            assertThat(CheckpointTraffic.keys(d)).isEmpty();
        }
    }

    @Test
    void onlyTheTouchedEntriesAreRewrittenAndSeqKeepsTheOrder() throws Exception {
        List<Detector> ds = CheckpointTraffic.detectors();
        try (StateDatabase db = StateDatabase.open(tmp)) {
            Connection c = db.ingestConnection();
            List<DetectorEntries> rows = new ArrayList<>();
            for (Detector d : ds) {
                rows.add(DetectorEntries.load(c, d.name()));
            }
            CheckpointTraffic.feed(ds, 0, 9_000); // both detectors full: new clients evict
            for (int i = 0; i < ds.size(); i++) {
                write(c, rows.get(i), ds.get(i));
            }
            int[] counts = new int[ds.size()];
            for (int i = 0; i < ds.size(); i++) {
                counts[i] = CheckpointTraffic.keys(ds.get(i)).size();
                assertThat(rowKeys(c, ds.get(i).name()))
                        .isEqualTo(CheckpointTraffic.keys(ds.get(i)));
            }
            // 40 records, of few clients: only theirs are written again
            Set<String> touched = CheckpointTraffic.keysOf(9_000, 9_040);
            long[] evictedBefore = new long[ds.size()];
            for (int i = 0; i < ds.size(); i++) {
                evictedBefore[i] = CheckpointTraffic.evictions(ds.get(i));
            }
            CheckpointTraffic.feed(ds, 9_000, 9_040);
            for (int i = 0; i < ds.size(); i++) {
                Detector d = ds.get(i);
                DetectorEntries.Changes ch = write(c, rows.get(i), d);
                assertThat(touched.size()).isLessThan(counts[i] / 20);
                assertThat(ch.upserts())
                        .as(d.name())
                        .isPositive()
                        .isLessThanOrEqualTo(touched.size());
                // a new client evicts one held at the last write: its row goes
                assertThat((long) ch.deletes())
                        .as(d.name())
                        .isEqualTo(CheckpointTraffic.evictions(d) - evictedBefore[i]);
                assertThat(rowKeys(c, d.name())).as(d.name()).isEqualTo(CheckpointTraffic.keys(d));
            }
            for (int i = 0; i < ds.size(); i++) { // so deletes were checked too
                assertThat(CheckpointTraffic.evictions(ds.get(i))).isGreaterThan(evictedBefore[i]);
            }
        }
    }

    @Test
    void aWholeStateOfTheOldVersionRestoresAndMovesToRows() throws Exception {
        List<Detector> original = CheckpointTraffic.detectors();
        CheckpointTraffic.feed(original, 0, 6_000);
        List<String> saved = CheckpointTraffic.states(original);
        try (StateDatabase db = StateDatabase.open(tmp)) {
            Connection c = db.ingestConnection();
            try (PreparedStatement state =
                            c.prepareStatement("INSERT INTO state(name, val) VALUES (?, ?)");
                    PreparedStatement stale =
                            c.prepareStatement(
                                    "INSERT INTO detector_entry(detector, entry_key, seq, val)"
                                            + " VALUES (?, 'stale', 1, '{}')")) {
                for (int i = 0; i < original.size(); i++) {
                    state.setString(1, StateDatabase.DETECTOR_PREFIX + original.get(i).name());
                    state.setString(2, saved.get(i));
                    state.executeUpdate();
                    // a row left by a newer version before a downgrade: the whole state wins
                    stale.setString(1, original.get(i).name());
                    stale.executeUpdate();
                }
            }
            StateDatabase.putCheckpoint(c, 5_999, "{}", "{}");
            c.commit();
        }
        List<Detector> back = CheckpointTraffic.detectors();
        try (DurableState state = DurableState.open(tmp)) {
            StoreCheckpoint cp = checkpoint(state, back);
            assertThat(CheckpointTraffic.states(back)).isEqualTo(saved);
            CheckpointTraffic.feed(back, 6_000, 6_100);
            commit(cp, 6_099);
        }
        CheckpointTraffic.feed(original, 6_000, 6_100);
        assertThat(CheckpointTraffic.states(restored(tmp)))
                .isEqualTo(CheckpointTraffic.states(original));
        try (StateDatabase db = StateDatabase.open(tmp)) {
            for (Detector d : original) {
                assertThat(db.state(StateDatabase.DETECTOR_PREFIX + d.name()).orElseThrow())
                        .startsWith("{\"entryRows\":");
                assertThat(rowKeys(db.ingestConnection(), d.name()))
                        .doesNotContain("stale")
                        .isEqualTo(CheckpointTraffic.keys(d));
            }
        }
    }

    @Test
    void theFirstCommitAfterARestartRewritesOnlyTheEntriesThatChanged() throws Exception {
        List<Detector> original = CheckpointTraffic.detectors();
        try (DurableState state = DurableState.open(tmp)) {
            StoreCheckpoint cp = checkpoint(state, original);
            CheckpointTraffic.feed(original, 0, 3_000);
            commit(cp, 2_999);
            CheckpointTraffic.feed(original, 3_000, 9_000); // both detectors evict
            commit(cp, 8_999);
            // no close(): as after a crash
        }
        Set<String> touched = CheckpointTraffic.keysOf(9_000, 9_040);
        String[] reformatted = new String[original.size()];
        try (StateDatabase db = StateDatabase.open(tmp)) {
            Connection c = db.ingestConnection();
            for (int i = 0; i < original.size(); i++) {
                String name = original.get(i).name();
                List<String> keys = rowKeys(c, name);
                assertThat(keys.size()).isGreaterThan(20 * touched.size());
                // a row holding the entry's JSON written otherwise (as an older version might)
                reformatted[i] = keys.get(keys.size() / 2);
                assertThat(touched).doesNotContain(reformatted[i]);
                try (PreparedStatement ps =
                        c.prepareStatement(
                                "UPDATE detector_entry SET val=' ' || val"
                                        + " WHERE detector=? AND entry_key=?")) {
                    ps.setString(1, name);
                    ps.setString(2, reformatted[i]);
                    assertThat(ps.executeUpdate()).isEqualTo(1);
                }
            }
            c.commit();
        }
        List<Detector> back = restored(tmp);
        assertThat(CheckpointTraffic.states(back)).isEqualTo(CheckpointTraffic.states(original));
        CheckpointTraffic.feed(back, 9_000, 9_040);
        try (StateDatabase db = StateDatabase.open(tmp)) {
            Connection c = db.ingestConnection();
            for (Detector d : back) {
                // the committer's first write after the restart
                DetectorEntries rows = DetectorEntries.load(c, d.name());
                int held = rowKeys(c, d.name()).size();
                DetectorEntries.Changes ch = write(c, rows, d);
                // the touched clients and the reformatted row; before: every row
                assertThat(ch.upserts()).as(d.name()).isLessThanOrEqualTo(touched.size() + 1);
                assertThat(ch.matched() + ch.upserts() + ch.deletes())
                        .as(d.name())
                        .isGreaterThanOrEqualTo(held);
                assertThat(rowKeys(c, d.name())).as(d.name()).isEqualTo(CheckpointTraffic.keys(d));
                // and the next write knows them all by identity
                assertThat(write(c, rows, d).matched()).as(d.name()).isZero();
            }
        }
        // the clients as written (the header in the state table was left as it was)
        assertThat(clients(restored(tmp))).isEqualTo(clients(back));
        try (StateDatabase db = StateDatabase.open(tmp)) {
            for (Detector d : back) {
                assertThat(db.detectorEntries(d.name()))
                        .as("rewritten in the form written now")
                        .noneMatch(v -> v.startsWith(" "));
            }
        }
    }

    @Test
    void clientIdsOfAnyCharactersAndTheLongestLengthRestoreAsCommitted() throws Exception {
        String longest = "\u0001".repeat(4_096); // the protocol's longest string, escaped 6-fold
        String[][] ids = {
            {"m", "a"},
            {"m", "a "},
            {"m", "A"},
            {"m", "a\u0000"},
            {"m", ""},
            {"m", "\uD800"},
            {"m", "\uDC00\uD800"},
            {"m", "?"},
            {"m", "\uFFFD"},
            {"m", "\uD83D\uDE00"},
            {"m", "\u00e4"},
            {"m", "a\u0308"},
            {"m", "'); DELETE FROM detector_entry; --"},
            {"m", "\"\\/\u2028{}[]"},
            {"m", longest},
            {longest, longest}
        };
        List<Detector> original = CheckpointTraffic.detectors();
        try (DurableState state = DurableState.open(tmp)) {
            StoreCheckpoint cp = checkpoint(state, original);
            feedIds(original, ids, 0, 3);
            commit(cp, 2);
            feedIds(original, ids, 3, 4); // every one touched again: rewritten
            commit(cp, 3);
        }
        assertThat(CheckpointTraffic.keys(original.get(0))).hasSize(ids.length);
        List<Detector> back = restored(tmp);
        assertThat(CheckpointTraffic.states(back)).isEqualTo(CheckpointTraffic.states(original));
        try (DurableState state = DurableState.open(tmp)) {
            StoreCheckpoint cp = checkpoint(state, back); // restored again: rows compared by digest
            feedIds(back, ids, 4, 5);
            commit(cp, 4);
        }
        feedIds(original, ids, 4, 5);
        List<Detector> again = restored(tmp);
        assertThat(CheckpointTraffic.states(again)).isEqualTo(CheckpointTraffic.states(original));
        for (int i = 0; i < again.size(); i++) {
            assertThat(CheckpointTraffic.keys(again.get(i)))
                    .isEqualTo(CheckpointTraffic.keys(original.get(i)))
                    .hasSize(ids.length);
        }
    }

    /** Rounds {@code from} to {@code to} of one query per (model, client) of {@code ids}. */
    private static void feedIds(List<Detector> ds, String[][] ids, int from, int to) {
        for (int round = from; round < to; round++) {
            for (int i = 0; i < ids.length; i++) {
                int k = round * ids.length + i;
                InferenceRecord r =
                        TestTraffic.withFingerprint(
                                ids[i][0],
                                ids[i][1],
                                1_700_000_000_000L + k,
                                CheckpointTraffic.record(4 * k + 2).fingerprint());
                for (Detector d : ds) {
                    d.onInference(r, k, sig -> {});
                }
            }
        }
    }

    /** Each detector's saved client array. */
    private static List<String> clients(List<Detector> ds) {
        List<String> out = new ArrayList<>();
        for (String state : CheckpointTraffic.states(ds)) {
            out.add(DetectorStateJson.parse(state).path("clients").toString());
        }
        return out;
    }

    @Test
    void aStoredStateOfAFormNotUnderstoodStopsTheRestoreAndIsKept() throws Exception {
        List<Detector> original = CheckpointTraffic.detectors();
        try (DurableState state = DurableState.open(tmp)) {
            StoreCheckpoint cp = checkpoint(state, original);
            CheckpointTraffic.feed(original, 0, 3_000);
            commit(cp, 2_999);
        }
        List<String> committed = CheckpointTraffic.states(original);
        for (Detector d : original) {
            String name = StateDatabase.DETECTOR_PREFIX + d.name();
            String stored;
            try (StateDatabase db = StateDatabase.open(tmp)) {
                stored = db.state(name).orElseThrow();
            }
            assertThat(stored).startsWith("{\"entryRows\":\"clients\",\"header\":{");
            String header =
                    stored.substring(stored.indexOf("\"header\":") + 9, stored.length() - 1);
            List<String> newer =
                    List.of(
                            // a field this version does not know (rows compressed, say)
                            "{\"entryRows\":\"clients\",\"header\":" + header + ",\"codec\":1}",
                            // the rows belong to an array the header does not have
                            "{\"entryRows\":\"users\",\"header\":" + header + "}",
                            // a whole state of a newer layout
                            "{\"rows\":{\"clients\":\"detector_entry\"}}");
            for (String form : newer) {
                put(name, form);
                List<Detector> back = CheckpointTraffic.detectors();
                try (DurableState state = DurableState.open(tmp)) {
                    assertThatThrownBy(() -> checkpoint(state, back))
                            .as(form)
                            .isInstanceOf(IOException.class)
                            .hasMessageContaining(d.name())
                            .hasMessageContaining("format this collector does not read");
                }
                try (StateDatabase db = StateDatabase.open(tmp)) {
                    assertThat(db.state(name)).contains(form); // kept for the newer collector
                }
            }
            put(name, stored);
        }
        assertThat(CheckpointTraffic.states(restored(tmp))).isEqualTo(committed);
    }

    private void put(String name, String state) throws Exception {
        try (StateDatabase db = StateDatabase.open(tmp)) {
            Connection c = db.ingestConnection();
            try (PreparedStatement ps = c.prepareStatement("UPDATE state SET val=? WHERE name=?")) {
                ps.setString(1, state);
                ps.setString(2, name);
                assertThat(ps.executeUpdate()).isEqualTo(1);
            }
            c.commit();
        }
    }

    private static DetectorEntries.Changes write(Connection c, DetectorEntries rows, Detector d)
            throws SQLException {
        EntryCapture capture = ((Checkpointable) d).captureEntries();
        DetectorEntries.Changes ch = rows.write(c, capture);
        c.commit();
        rows.committed(ch);
        return ch;
    }
}
