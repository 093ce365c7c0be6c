package io.mlguard.collector.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlguard.collector.TestRecords;
import io.mlguard.protocol.InferenceRecord;
import io.mlguard.protocol.Records;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RepeatFilterTest {
    private static InferenceRecord input(String client, double mean) {
        return TestRecords.inference("m", client, TestRecords.T0, mean - 1, mean + 1);
    }

    @Test
    void aClientsRepeatedInputIsOneObservationAndOtherClientsDoNotRepeatIt() {
        RepeatFilter f = new RepeatFilter();
        assertThat(f.repeat(input("a", 10))).isFalse();
        assertThat(f.repeat(input("a", 10))).isTrue();
        assertThat(f.repeat(input("b", 10))).isFalse();
        assertThat(f.repeat(input("a", 20))).isFalse();
        assertThat(f.repeat(input(null, 20))).isFalse();
        assertThat(f.repeat(input(null, 20))).isTrue();
        assertThat(f.repeats()).isEqualTo(2);
    }

    @Test
    void clientsWellBelowTheBoundAreAllRemembered() {
        RepeatFilter f = new RepeatFilter();
        for (int c = 0; c < 1000; c++) {
            assertThat(f.repeat(input("client-" + c, c))).isFalse();
        }
        for (int c = 0; c < 1000; c++) {
            assertThat(f.repeat(input("client-" + c, c))).as("client %d", c).isTrue();
        }
        assertThat(f.evictions()).isZero();
        assertThat(f.trackedClients()).isEqualTo(1000);
    }

    @Test
    void manyRotatingClientsCostBoundedMemory() {
        RepeatFilter f = new RepeatFilter();
        int clients = 100_000;
        for (int c = 0; c < clients; c++) {
            f.repeat(input(String.format("%016x", c * 0x9e3779b97f4a7c15L), c));
        }
        assertThat(f.trackedClients()).isEqualTo(RepeatFilter.MAX_CLIENTS);
        assertThat(f.evictions()).isEqualTo(clients - RepeatFilter.MAX_CLIENTS);
        // the most recent client is still there
        long last = (clients - 1) * 0x9e3779b97f4a7c15L;
        assertThat(f.repeat(input(String.format("%016x", last), clients - 1))).isTrue();
    }

    /** What a client's last input was, for the reference below: a plain copy of the record. */
    private record Last(
            String model, int kind, int length, byte[] cells, double mean, double std, float[] f) {}

    /** The filter's rule, spelt out without its table: the same client's previous record. */
    private static boolean referenceRepeat(Map<String, Last> last, InferenceRecord r) {
        Last l = last.get(String.valueOf(r.clientId));
        boolean same = l != null && r.modelId.equals(l.model);
        if (same) {
            double[] a = {r.inputs[0].mean, r.inputs[0].std};
            double[] b = {l.mean, l.std};
            for (int i = 0; i < 2; i++) {
                same &= Math.abs(a[i] - b[i]) <= 0.02 * Math.max(Math.abs(a[i]), Math.abs(b[i]));
            }
            same &= r.featureCount == l.f.length;
            for (int i = 0; same && i < r.featureCount; i++) {
                double x = r.features[i];
                double y = l.f[i];
                same &= Math.abs(x - y) <= 0.02 * Math.max(Math.abs(x), Math.abs(y));
            }
        }
        if (same && r.fingerprintKind != InferenceRecord.FINGERPRINT_NONE) {
            same = r.fingerprintKind == l.kind && r.fingerprintLength == l.length;
            long diff = 0;
            for (int i = 0; same && i < r.fingerprintLength; i++) {
                diff += Math.abs((r.fingerprint[i] & 0xff) - (l.cells[i] & 0xff));
            }
            same &= diff <= (long) RepeatFilter.NEAR_IDENTICAL * r.fingerprintLength;
        }
        last.put(
                String.valueOf(r.clientId),
                new Last(
                        r.modelId,
                        r.fingerprintKind,
                        r.fingerprintLength,
                        Arrays.copyOf(r.fingerprint, r.fingerprintLength),
                        r.inputs[0].mean,
                        r.inputs[0].std,
                        Arrays.copyOf(r.features, r.featureCount)));
        return same;
    }

    @Test
    void agreesWithAPlainPreviousRecordPerClientAsInputsGrowAndShrink() {
        // a client's remembered arrays grow with its inputs: fingerprints and feature vectors of
        // every length up to the records' maxima, often near the previous ones, must repeat or not
        // exactly as comparing with a full copy of the previous record says
        SplittableRandom random = new SplittableRandom(41);
        RepeatFilter f = new RepeatFilter();
        Map<String, Last> reference = new HashMap<>();
        InferenceRecord previous = null;
        int repeats = 0;
        for (int i = 0; i < 20_000; i++) {
            InferenceRecord r = input("c" + random.nextInt(40), 10 + random.nextInt(3));
            r.modelId = random.nextInt(10) == 0 ? "other" : "m";
            if (previous != null && random.nextInt(3) > 0) {
                // a variation of the last record: same shape, cells moved by a little or a lot
                r.clientId = previous.clientId;
                r.modelId = previous.modelId;
                r.inputs[0].mean = previous.inputs[0].mean * (1 + random.nextInt(3) / 100.0);
                r.fingerprintKind = previous.fingerprintKind;
                r.fingerprintLength = previous.fingerprintLength;
                int noise = random.nextInt(2) == 0 ? 3 : 30;
                for (int c = 0; c < r.fingerprintLength; c++) {
                    int v = (previous.fingerprint[c] & 0xff) + random.nextInt(2 * noise + 1);
                    r.fingerprint[c] = (byte) Math.min(255, Math.max(0, v - noise));
                }
                r.featureCount = previous.featureCount;
                int moved = random.nextInt(4) == 0 ? random.nextInt(r.featureCount + 1) : -1;
                for (int c = 0; c < r.featureCount; c++) {
                    r.features[c] = previous.features[c] * (c == moved ? 1.05f : 1f);
                }
            } else {
                r.fingerprintKind = random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(2);
                r.fingerprintLength =
                        r.fingerprintKind == 0 ? 0 : 1 + random.nextInt(Records.MAX_FINGERPRINT);
                for (int c = 0; c < r.fingerprintLength; c++) {
                    r.fingerprint[c] = (byte) random.nextInt(256);
                }
                r.featureCount = random.nextInt(Records.MAX_FEATURES + 1);
                for (int c = 0; c < r.featureCount; c++) {
                    r.features[c] = random.nextInt(100);
                }
            }
            r.inputs[0].std = 1;
            boolean expected = referenceRepeat(reference, r);
            assertThat(f.repeat(r)).as("record %d", i).isEqualTo(expected);
            repeats += expected ? 1 : 0;
            previous = r;
        }
        assertThat(repeats).isBetween(1000, 19_000); // both answers were compared, many times
        assertThat(f.repeats()).isEqualTo(repeats);
    }
}
