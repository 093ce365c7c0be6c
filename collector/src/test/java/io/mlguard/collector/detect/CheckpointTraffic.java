package io.mlguard.collector.detect;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlguard.protocol.InferenceRecord;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The fingerprint detectors and their checkpoint traffic ({@link FingerprintCheckpointTest}: over
 * 5,000 clients, so both detectors evict) for tests outside this package (the store's).
 */
public final class CheckpointTraffic {
    private CheckpointTraffic() {}

    /** The query-attack detector (4,096 clients) and an extraction detector of 2,048. */
    public static List<Detector> detectors() {
        return FingerprintCheckpointTest.detectors();
    }

    public static int size() {
        return FingerprintCheckpointTest.TRAFFIC.size();
    }

    public static InferenceRecord record(int k) {
        return FingerprintCheckpointTest.TRAFFIC.get(k);
    }

    /** Feeds records {@code from} (inclusive) to {@code to}; returns the signals as text. */
    public static List<String> feed(List<Detector> ds, int from, int to) {
        List<String> signals = new ArrayList<>();
        FingerprintCheckpointTest.feed(ds, from, to, signals);
        return signals;
    }

    public static List<String> states(List<Detector> ds) {
        return FingerprintCheckpointTest.states(ds);
    }

    /** The clients' keys in the detector's saved order (least recently seen first). */
    public static List<String> keys(Detector d) {
        List<String> out = new ArrayList<>();
        for (JsonNode c :
                DetectorStateJson.parse(((Checkpointable) d).saveState()).path("clients")) {
            out.add(c.path("key").asText());
        }
        return out;
    }

    /** The distinct client keys of records {@code from} to {@code to}. */
    public static Set<String> keysOf(int from, int to) {
        Set<String> out = new LinkedHashSet<>();
        for (int k = from; k < to; k++) {
            InferenceRecord r = record(k);
            out.add(BoundedClientMap.key(r.modelId, r.clientId));
        }
        return out;
    }

    public static long evictions(Detector d) {
        return d instanceof ExtractionDetector
                ? ((ExtractionDetector) d).clientEvictions()
                : ((QueryAttackDetector) d).clientEvictions();
    }
}
