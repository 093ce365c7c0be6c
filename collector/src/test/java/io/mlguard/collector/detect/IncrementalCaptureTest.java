package io.mlguard.collector.detect;

import static io.mlguard.collector.detect.FingerprintCheckpointTest.TRAFFIC;
import static io.mlguard.collector.detect.FingerprintCheckpointTest.detectors;
import static io.mlguard.collector.detect.FingerprintCheckpointTest.feed;
import static io.mlguard.collector.detect.FingerprintCheckpointTest.states;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The query-attack and extraction detectors capture their checkpoints incrementally (only what
 * changed since the previous capture is copied; the JSON is made later, by the committer). A
 * capture must still be the whole state of its moment: read after more records, after later
 * captures, or never read at all, and a detector restored from it equals the original.
 */
class IncrementalCaptureTest {
    private static List<Supplier<String>> capture(List<Detector> ds) {
        List<Supplier<String>> out = new ArrayList<>();
        for (Detector d : ds) {
            out.add(((Checkpointable) d).captureState());
        }
        return out;
    }

    private static List<String> read(List<Supplier<String>> captured) {
        List<String> out = new ArrayList<>();
        for (Supplier<String> s : captured) {
            out.add(s.get());
        }
        return out;
    }

    private static List<Detector> restored(List<String> states) {
        List<Detector> ds = detectors();
        for (int i = 0; i < ds.size(); i++) {
            ((Checkpointable) ds.get(i)).restoreState(states.get(i));
        }
        return ds;
    }

    @Test
    void everyIncrementalCaptureIsTheWholeStateOfItsMoment() {
        List<Detector> original = detectors();
        // close together (few clients touched), far apart, and past the client evictions
        int[] cuts = {500, 501, 530, 3_000, 6_000, 6_001, 9_000, 11_000};
        Map<Integer, List<Supplier<String>>> captures = new LinkedHashMap<>();
        Map<Integer, List<String>> truth = new LinkedHashMap<>();
        int fed = 0;
        for (int cut : cuts) {
            feed(original, fed, cut, new ArrayList<>());
            fed = cut;
            captures.put(cut, capture(original));
            truth.put(cut, states(original));
            if (cut % 3_000 == 0) {
                // a committer that keeps up: its JSON is then reused by the next captures
                assertThat(read(captures.get(cut))).isEqualTo(truth.get(cut));
            }
        }
        assertThat(((QueryAttackDetector) original.get(0)).clientEvictions()).isPositive();
        assertThat(((ExtractionDetector) original.get(1)).clientEvictions()).isPositive();
        // the others read only now, after every later record and capture (a slow committer, or
        // a capture whose commit never ran); all read (again) now
        for (int cut : cuts) {
            List<String> states = read(captures.get(cut));
            assertThat(states).as("capture at %d", cut).isEqualTo(truth.get(cut));
            assertThat(read(captures.get(cut))).as("read twice").isEqualTo(states);
            assertThat(states(restored(states))).as("restored at %d", cut).isEqualTo(states);
        }
        // and the restored detectors judge the rest of the traffic as the original does
        int last = cuts[cuts.length - 1];
        List<Detector> resumed = restored(read(captures.get(last)));
        List<String> expected = new ArrayList<>();
        List<String> actual = new ArrayList<>();
        feed(original, last, TRAFFIC.size(), expected);
        feed(resumed, last, TRAFFIC.size(), actual);
        assertThat(expected).isNotEmpty();
        assertThat(actual).isEqualTo(expected);
        assertThat(states(resumed)).isEqualTo(states(original));
    }

    @Test
    void aRestoredDetectorCapturesItsWholeRestoredState() {
        List<Detector> original = detectors();
        feed(original, 0, 4_000, new ArrayList<>());
        read(capture(original)); // the original's capture memory must not leak into the copy
        List<Detector> copy = restored(states(original));
        feed(original, 4_000, 4_010, new ArrayList<>());
        feed(copy, 4_000, 4_010, new ArrayList<>());
        List<Supplier<String>> fromCopy = capture(copy);
        List<Supplier<String>> fromOriginal = capture(original);
        feed(copy, 4_010, 5_000, new ArrayList<>());
        assertThat(read(fromCopy)).isEqualTo(read(fromOriginal));
        assertThat(read(fromCopy)).isEqualTo(states(restored(read(fromOriginal))));
    }

    @Test
    void onlyTouchedKeysAreCopiedAgainIntoCopiesNoLongerNeeded() {
        List<String> copied = new ArrayList<>();
        List<Box> spares = new ArrayList<>();
        IncrementalCapture<Box> c =
                new IncrementalCapture<>(
                        (v, spare) -> {
                            copied.add(String.valueOf(v.v));
                            Box out = spare == null ? new Box(0) : spare;
                            if (spare != null) {
                                spares.add(spare);
                            }
                            out.v = v.v;
                            return out;
                        });
        Map<String, Box> live = new LinkedHashMap<>();
        live.put("a", new Box(1));
        live.put("b", new Box(2));
        List<IncrementalCapture.Entry<Box>> first = c.capture(live.entrySet());
        assertThat(copied).containsExactly("1", "2");
        live.get("b").v = 3;
        c.touched(live.get("b"));
        live.put("c", new Box(4)); // new, so copied though never reported
        List<IncrementalCapture.Entry<Box>> second = c.capture(live.entrySet());
        assertThat(copied).containsExactly("1", "2", "3", "4");
        assertThat(spares).isEmpty(); // nothing written yet: every copy is still needed
        assertThat(second.get(0)).isSameAs(first.get(0));
        assertThat(second.get(1)).isNotSameAs(first.get(1));
        // each capture keeps its own moment, and the JSON of an entry is made once
        assertThat(first.get(1).json((k, v) -> k + v.v)).isEqualTo("b2");
        assertThat(second.get(1).json((k, v) -> k + v.v)).isEqualTo("b3");
        assertThat(first.get(0).json((k, v) -> k + v.v)).isEqualTo("a1");
        assertThat(second.get(0).json((k, v) -> "again")).isEqualTo("a1");
        // a written copy is reused by the next capture, and what was written stays as it was
        live.get("b").v = 5;
        c.touched(live.get("b"));
        List<IncrementalCapture.Entry<Box>> third = c.capture(live.entrySet());
        assertThat(spares).hasSize(1);
        assertThat(third.get(1).json((k, v) -> k + v.v)).isEqualTo("b5");
        assertThat(first.get(1).json((k, v) -> k + v.v)).isEqualTo("b2");
        assertThat(second.get(1).json((k, v) -> k + v.v)).isEqualTo("b3");
        assertThat(third.get(2).json((k, v) -> k + v.v)).isEqualTo("c4"); // unwritten till now
        live.remove("a");
        c.reset();
        List<IncrementalCapture.Entry<Box>> fourth = c.capture(live.entrySet());
        assertThat(fourth).extracting(e -> e.key).containsExactly("b", "c");
        assertThat(copied).containsExactly("1", "2", "3", "4", "5", "5", "4");
    }

    /** A live value of the capture tests. */
    private static final class Box extends IncrementalCapture.Tracked {
        int v;

        Box(int v) {
            this.v = v;
        }
    }
}
