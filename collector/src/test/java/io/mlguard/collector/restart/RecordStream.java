package io.mlguard.collector.restart;

import static io.mlguard.collector.TestRecords.T0;

import io.mlguard.collector.QueueFixture;
import io.mlguard.collector.TestRecords;
import io.mlguard.protocol.InferenceRecord;
import io.mlguard.protocol.ModelLoadRecord;

/**
 * A deterministic stream of records with known incidents in it: five models and fifty clients of
 * benign traffic; NaN inputs (every 97th record) and out-of-range inputs (every 131st) from a few
 * clients; a malformed record every 1,009th; model m1 swapped at 40% of the stream, after which its
 * inferences carry the new hash; and a 20-minute silence at the middle, which closes every open
 * group so the same groups open new incidents after it.
 */
final class RecordStream {
    private final int size;

    RecordStream(int size) {
        this.size = size;
    }

    int size() {
        return size;
    }

    long time(int i) {
        long t = T0 + i * 20L;
        return i >= size / 2 ? t + 20 * 60_000L : t;
    }

    /** Appends record {@code i} to the queue. */
    void write(QueueFixture q, int i) {
        String model = "m" + (i % 5);
        long t = time(i);
        if (i < 5) {
            q.write(TestRecords.load(model, TestRecords.sha('a'), t));
            return;
        }
        if (i == size * 2 / 5) {
            q.write(TestRecords.load("m1", TestRecords.sha('b'), t));
            return;
        }
        String client = "c" + (i % 50);
        InferenceRecord r;
        if (i % 1009 == 0) {
            q.writeTruncated(TestRecords.inference(model, client, t, 0, 1), 30);
            return;
        } else if (i % 97 == 0) {
            r = TestRecords.nanInference(model, "nan-" + (i % 3), t);
        } else if (i % 131 == 0 && i > 1000) {
            r = TestRecords.inference(model, "probe-" + (i % 2), t, -50, 1);
        } else {
            r = TestRecords.inference(model, client, t, 0, 1);
        }
        r.modelHashPrefix =
                ModelLoadRecord.hashPrefix(
                        TestRecords.sha(model.equals("m1") && i > size * 2 / 5 ? 'b' : 'a'));
        q.write(r);
    }
}
