package io.mlguard.collector.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlguard.collector.TestTraffic;
import io.mlguard.collector.detect.Checkpointable;
import io.mlguard.collector.detect.Detector;
import io.mlguard.collector.detect.DetectorStateJson;
import io.mlguard.collector.detect.EntryCapture;
import io.mlguard.collector.detect.ExtractionDetector;
import io.mlguard.collector.detect.QueryAttackDetector;
import io.mlguard.protocol.InferenceRecord;
import io.mlguard.protocol.Records;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The largest client entry each row-checkpointed detector can make fits {@code detector_entry.val}
 * with room to spare: one that did not would fail every commit from then on (the queue position
 * would stop moving). Largest: model and client ids of the protocol's longest length in a character
 * JSON escapes six-fold, and every set and window of the client full.
 */
class EntrySizeTest {
    private static final String LONGEST = "\u0001".repeat(Records.MAX_STRING);

    /** The JSON of the detector's only client entry. */
    private static String onlyEntry(Detector d) {
        EntryCapture c = ((Checkpointable) d).captureEntries();
        assertThat(c.size()).isEqualTo(1);
        // a model id that starts with U+0001 is keyed length first: "\u0001" + length + ':' + model
        // + '\0' + client, the longest key there is
        String lengthFirst = "\u0001" + Records.MAX_STRING + ":";
        assertThat(c.key(0)).hasSize(lengthFirst.length() + 2 * Records.MAX_STRING + 1);
        return c.json(0);
    }

    private static void feed(Detector d, int queries) {
        Random rnd = new Random(7);
        for (int q = 0; q < queries; q++) {
            byte[] f = new byte[64]; // far apart: each one kept
            rnd.nextBytes(f);
            InferenceRecord r =
                    TestTraffic.withFingerprint(LONGEST, LONGEST, 1_700_000_000_000L + q, f);
            r.outputCount = 1;
            r.outputs[0].topK = 1;
            r.outputs[0].topClasses[0] = q % 16; // every class partition
            d.onInference(r, q, s -> {});
        }
    }

    @Test
    void theLargestExtractionClientFitsItsRowTwiceOver() {
        ExtractionDetector d = new ExtractionDetector();
        feed(d, 16 * 300);
        String json = onlyEntry(d);
        JsonNode n = DetectorStateJson.parse(json);
        assertThat(n.path("kept")).hasSize(16);
        for (JsonNode set : n.path("kept")) {
            assertThat(Base64.getDecoder().decode(set.path("cells").asText())).hasSize(128 * 64);
        }
        assertThat(Base64.getDecoder().decode(n.path("distances").asText())).hasSize(4 * 200);
        assertThat(json.length()).isLessThan(StateDatabase.ENTRY_CHARS / 2);
    }

    @Test
    void theLargestQueryAttackClientFitsItsRowTwiceOver() {
        QueryAttackDetector d = new QueryAttackDetector();
        feed(d, 300);
        String json = onlyEntry(d);
        assertThat(DetectorStateJson.parse(json).path("ring").path("size").asInt()).isEqualTo(64);
        assertThat(json.length()).isLessThan(StateDatabase.ENTRY_CHARS / 2);
    }
}
