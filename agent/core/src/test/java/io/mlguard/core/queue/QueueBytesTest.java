package io.mlguard.core.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mlguard.core.AgentCounters;
import io.mlguard.protocol.ClientIdSource;
import io.mlguard.protocol.DType;
import io.mlguard.protocol.InferenceRecord;
import io.mlguard.protocol.ModelLoadRecord;
import io.mlguard.protocol.Outcome;
import io.mlguard.protocol.Records;
import io.mlguard.protocol.TensorSummary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the agent's writer leaves in the queue is, document for document, the bytes {@link
 * InferenceRecord#writeTo} writes, and reads back as the record written: on the serving thread and
 * through the writer thread's rings, for records small and large (larger than a ring) that cross
 * the mapped chunks' ends.
 */
class QueueBytesTest {
    @TempDir Path tmp;

    /** Chronicle's overlap of one mapped chunk with the next, for chunks of 256 KiB. */
    private static final int OVERLAP = 64 * 1024;

    private static final String[] STRINGS = {
        null,
        "",
        "mnist",
        "client-\u00e9\u4e2d",
        "\ud83d\ude00 \ud83d",
        "a".repeat(126) + "\u00e9",
        "\u4e2d".repeat(Records.MAX_STRING + 3), // cut at MAX_STRING, 12288 bytes
        "\u00e9".repeat(3000),
    };

    @Test
    void recordsAcrossTheEndsOfSmallMappedChunksAreStoredByteForByte() {
        long block = 1 << 18;
        Random random = new Random(17);
        List<byte[]> expected = new ArrayList<>();
        long total = 0;
        int large = 0;
        try (OpenQueue q = new OpenQueue(tmp.toFile(), block)) {
            while (expected.size() < 800) {
                InferenceRecord r = random(random);
                byte[] e = QueueContents.writeTo(r);
                if (e.length > OVERLAP - 64) {
                    continue; // Chronicle refuses a document larger than the overlap, any way
                }
                assertThat(q.append(r, null)).isEqualTo(e.length);
                expected.add(e);
                total += e.length;
                large += e.length > OVERLAP / 2 ? 1 : 0;
            }
        }
        // a few dozen chunks' worth, mostly in records of tens of KB: chunk ends fall inside them
        assertThat(total).isGreaterThan(20 * block);
        assertThat(large).isGreaterThan(20);
        assertStored(expected);
    }

    /**
     * A record larger than the chunks' overlap (possible only with chunks far smaller than
     * Chronicle's default of 64 MiB, whose overlap of 16 MiB dwarfs the largest record, some 500
     * kB) is refused, and leaves no document behind: not an empty one that the collector would read
     * as a malformed record, once per attempt.
     */
    @Test
    void aRecordTheChunksCannotHoldLeavesNoDocumentBehind() {
        InferenceRecord huge = QueueContents.mnistRecord();
        String longest = "\u4e2d".repeat(Records.MAX_STRING);
        huge.modelId = huge.clientId = huge.requestPath = longest;
        huge.inputCount = Records.MAX_TENSORS;
        for (int i = 0; i < huge.inputCount; i++) {
            huge.inputs[i].matrix(longest, DType.FLOAT32, 1, 784);
        }
        assertThat(QueueContents.writeTo(huge).length).isGreaterThan(OVERLAP);
        InferenceRecord small = QueueContents.mnistRecord();
        List<byte[]> expected = new ArrayList<>();
        try (OpenQueue q = new OpenQueue(tmp.toFile(), 1 << 18)) {
            for (int i = 0; i < 3; i++) {
                small.batchSize = i;
                expected.add(QueueContents.writeTo(small));
                q.append(small, null);
                assertThatThrownBy(() -> q.append(huge, null))
                        .hasMessageContaining("writeRemaining");
            }
        }
        assertStored(expected);
    }

    /**
     * A model-load record whose serialisation fails halfway, written now or kept from before the
     * queue opened, is refused with its exception and leaves no partial document behind, which the
     * collector would read as a malformed record; the records around it are stored intact. Here the
     * outcome is null, met after some forty bytes.
     */
    @Test
    void aModelLoadRecordThatFailsHalfwayLeavesNoDocumentBehind() {
        ModelLoadRecord load = new ModelLoadRecord();
        load.agentId = "1@host";
        load.modelId = "mnist";
        load.outcome = null;
        InferenceRecord small = QueueContents.mnistRecord();
        List<byte[]> expected = new ArrayList<>();
        try (OpenQueue q = new OpenQueue(tmp.toFile())) {
            for (int i = 0; i < 2; i++) {
                small.batchSize = i;
                expected.add(QueueContents.writeTo(small));
                q.append(small, null);
                assertThatThrownBy(() -> q.append(load, null))
                        .isInstanceOf(NullPointerException.class);
                assertThatThrownBy(() -> q.appendKept(load, null))
                        .isInstanceOf(NullPointerException.class);
            }
        }
        assertStored(expected);
    }

    @Test
    void recordsWrittenOnTheServingThreadAreStoredByteForByte() {
        writeThroughQueueWriter(false);
    }

    @Test
    void recordsWrittenThroughTheWriterThreadAreStoredByteForByte() {
        writeThroughQueueWriter(true);
    }

    private void writeThroughQueueWriter(boolean async) {
        Random random = new Random(async ? 23 : 29);
        List<byte[]> expected = new ArrayList<>();
        QueueWriter w = QueueWriter.create(tmp.toFile(), new AgentCounters(), 1L << 20, async);
        InferenceRecord first = random(random);
        expected.add(QueueContents.writeTo(first));
        assertThat(w.write(first)).isTrue(); // kept until the queue opens
        w.flushAtExit(); // opens it now
        assertThat(w.isOpen()).isTrue();
        for (int i = 0; i < 1_500; i++) {
            InferenceRecord r = random(random);
            expected.add(QueueContents.writeTo(r));
            // now and then as the deferred summaries write theirs: on this thread, now
            assertThat(i % 7 == 0 ? w.writeNow(r) : w.write(r)).isTrue();
        }
        assertThat(w.drainer() != null).isEqualTo(async);
        w.close();
        assertStored(expected);
    }

    private void assertStored(List<byte[]> expected) {
        List<byte[]> stored = QueueContents.documents(tmp);
        assertThat(stored).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            if (!Arrays.equals(stored.get(i), expected.get(i))) {
                assertThat(stored.get(i)).as("document %d", i).isEqualTo(expected.get(i));
            }
        }
        List<Object> read = QueueContents.read(tmp);
        assertThat(read).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            // decoded and written again: every field came back
            byte[] again = QueueContents.writeTo((InferenceRecord) read.get(i));
            assertThat(Arrays.equals(again, expected.get(i))).as("record %d", i).isTrue();
        }
    }

    /** Mostly MNIST-like; one in five large (long non-ASCII strings, many tensors). */
    private static InferenceRecord random(Random random) {
        InferenceRecord r = QueueContents.mnistRecord();
        boolean large = random.nextInt(5) == 0;
        r.timestampMillis = random.nextLong();
        r.latencyNanos = random.nextInt(1_000_000);
        r.agentId = string(random, large);
        r.modelId = string(random, large);
        r.modelHashPrefix = random.nextLong();
        r.outcome = Outcome.values()[random.nextInt(Outcome.values().length)];
        r.errorType = random.nextBoolean() ? null : string(random, large);
        r.clientIdSource = ClientIdSource.values()[random.nextInt(ClientIdSource.values().length)];
        r.clientId = string(random, large);
        r.requestPath = string(random, large);
        r.traceId = string(random, large);
        r.spanId = string(random, large);
        r.batchSize = 1 + random.nextInt(64);
        r.inputCount = large ? random.nextInt(Records.MAX_TENSORS + 1) : 1;
        for (int i = 0; i < r.inputCount; i++) {
            tensor(random, r.inputs[i], large);
        }
        r.outputCount = large ? random.nextInt(Records.MAX_TENSORS + 1) : 2;
        for (int i = 0; i < r.outputCount; i++) {
            tensor(random, r.outputs[i], large);
        }
        random.nextBytes(r.fingerprint);
        r.fingerprintLength = random.nextBoolean() ? 64 : random.nextInt(257);
        r.featureCount = random.nextInt(4) == 0 ? random.nextInt(257) : 0;
        for (int i = 0; i < r.featureCount; i++) {
            r.features[i] = random.nextInt(9) == 0 ? Float.NaN : (float) random.nextGaussian();
        }
        return r;
    }

    private static void tensor(Random random, TensorSummary t, boolean large) {
        t.matrix(string(random, large), DType.FLOAT32, 1, 1 + random.nextInt(1000));
        t.min = random.nextInt(9) == 0 ? Double.NaN : random.nextGaussian();
        t.max = random.nextInt(9) == 0 ? Double.POSITIVE_INFINITY : random.nextGaussian();
        t.mean = random.nextGaussian();
        t.std = random.nextDouble();
        t.nanCount = random.nextInt(3);
        t.l2Norm = random.nextDouble() * 100;
        t.topK = random.nextInt(Records.MAX_TOP_K + 1);
        for (int i = 0; i < t.topK; i++) {
            t.topClasses[i] = random.nextInt(1000);
            t.topScores[i] = random.nextFloat();
        }
        t.margin = random.nextFloat();
        t.entropy = random.nextFloat();
    }

    private static String string(Random random, boolean large) {
        int n = large ? STRINGS.length : 6; // the long ones only in large records
        String s = STRINGS[random.nextInt(n)];
        return s == null && !large ? "short-" + random.nextInt(100) : s;
    }
}
