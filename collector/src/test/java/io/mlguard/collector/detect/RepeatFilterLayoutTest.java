package io.mlguard.collector.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlguard.collector.TestRecords;
import io.mlguard.protocol.InferenceRecord;
import io.mlguard.protocol.Records;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The filter with each slot's last input inline against the one with an object and arrays per slot
 * ({@link RepeatFilterBefore}): the same answers and counters record after record, with more
 * clients than the table holds (slots reused for inputs of another shape), inputs inline and too
 * long to be, variations of a client's last input, NaN values and records without a client id.
 */
class RepeatFilterLayoutTest {

    @Test
    void answersAsTheObjectPerSlotFilter() {
        SplittableRandom random = new SplittableRandom(43);
        RepeatFilter now = new RepeatFilter();
        RepeatFilterBefore before = new RepeatFilterBefore();
        InferenceRecord[] last = new InferenceRecord[30_000];
        int repeats = 0;
        for (int i = 0; i < 100_000; i++) {
            int client = random.nextInt(last.length);
            InferenceRecord p = last[client];
            InferenceRecord r =
                    TestRecords.inference(
                            random.nextInt(8) == 0 ? "other" : "m",
                            random.nextInt(500) == 0 ? null : "client-" + client,
                            TestRecords.T0,
                            0,
                            1);
            if (p != null && random.nextInt(3) > 0) { // a variation of the client's last input
                r.modelId = p.modelId;
                r.inputs[0].mean = p.inputs[0].mean * (1 + random.nextInt(3) / 100.0);
                r.inputs[0].std = p.inputs[0].std;
                r.fingerprintKind = p.fingerprintKind;
                r.fingerprintLength = p.fingerprintLength;
                int noise = random.nextInt(2) == 0 ? 3 : 30;
                for (int c = 0; c < r.fingerprintLength; c++) {
                    int v = (p.fingerprint[c] & 0xff) + random.nextInt(2 * noise + 1) - noise;
                    r.fingerprint[c] = (byte) Math.min(255, Math.max(0, v));
                }
                r.featureCount = p.featureCount;
                int moved = random.nextInt(4) == 0 ? random.nextInt(r.featureCount + 1) : -1;
                for (int c = 0; c < r.featureCount; c++) {
                    r.features[c] = p.features[c] * (c == moved ? 1.05f : 1f);
                }
            } else {
                r.inputs[0].mean = random.nextInt(10) == 0 ? Double.NaN : random.nextInt(5);
                r.inputs[0].std = 1;
                r.fingerprintKind = random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(2);
                r.fingerprintLength =
                        r.fingerprintKind == 0
                                ? 0
                                : random.nextInt(5) == 0
                                        ? 1 + random.nextInt(Records.MAX_FINGERPRINT)
                                        : 64;
                for (int c = 0; c < r.fingerprintLength; c++) {
                    r.fingerprint[c] = (byte) random.nextInt(256);
                }
                r.featureCount =
                        random.nextInt(5) == 0
                                ? random.nextInt(Records.MAX_FEATURES + 1)
                                : random.nextInt(2) * 20;
                for (int c = 0; c < r.featureCount; c++) {
                    r.features[c] = random.nextInt(20) == 0 ? Float.NaN : random.nextInt(100);
                }
            }
            boolean expected = before.repeat(r);
            assertThat(now.repeat(r)).as("record %d", i).isEqualTo(expected);
            repeats += expected ? 1 : 0;
            last[client] = r;
        }
        assertThat(repeats).isGreaterThan(2_000); // both answers were compared, many times
        assertThat(now.repeats()).isEqualTo(before.repeats());
        assertThat(now.evictions()).isEqualTo(before.evictions()).isGreaterThan(1_000);
        assertThat(now.trackedClients()).isEqualTo(before.trackedClients());
    }
}
