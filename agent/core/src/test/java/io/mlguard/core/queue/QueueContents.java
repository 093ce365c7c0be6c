package io.mlguard.core.queue;

import io.mlguard.protocol.AgentStatsRecord;
import io.mlguard.protocol.DType;
import io.mlguard.protocol.InferenceRecord;
import io.mlguard.protocol.ModelLoadRecord;
import io.mlguard.protocol.RecordFormatException;
import io.mlguard.protocol.RecordReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptTailer;

/** For tests: every record of a queue, in order; a malformed one fails the test. */
public final class QueueContents {
    private QueueContents() {}

    /**
     * An MNIST-like inference record of the size the agent writes for one: a 784-float input, a
     * 10-score output with its top class, a 64-cell fingerprint (cells left at 0).
     */
    public static InferenceRecord mnistRecord() {
        InferenceRecord r = new InferenceRecord();
        r.agentId = "1@test";
        r.runtime = "onnxruntime";
        r.modelId = "mnist";
        r.inputCount = 1;
        r.inputs[0].matrix("input", DType.FLOAT32, 1, 784);
        r.outputCount = 1;
        r.outputs[0].matrix("probabilities", DType.FLOAT32, 1, 10);
        r.outputs[0].topK = 1;
        r.outputs[0].topClasses[0] = 7;
        r.outputs[0].topScores[0] = 0.9f;
        r.fingerprintKind = InferenceRecord.FINGERPRINT_POOLED_2D;
        r.fingerprintLength = 64;
        return r;
    }

    /** Inference, model-load and agent-stats records, as decoded. */
    /**
     * A record's bytes as written, but for the clock (its time stamp and latency set to 0): what
     * two runs of the same inferences must agree on. Changes {@code r}'s clock fields.
     */
    public static String bytesButClock(InferenceRecord r) {
        r.timestampMillis = 0;
        r.latencyNanos = 0;
        net.openhft.chronicle.bytes.Bytes<byte[]> b =
                net.openhft.chronicle.bytes.Bytes.allocateElasticOnHeap(1024);
        r.writeTo(b);
        return java.util.Arrays.toString(b.toByteArray());
    }

    /** Every document of a queue as its bytes, in order. */
    public static List<byte[]> documents(Path dir) {
        List<byte[]> out = new ArrayList<>();
        try (ChronicleQueue q = ChronicleQueue.singleBuilder(dir).build()) {
            ExcerptTailer t = q.createTailer();
            while (true) {
                try (net.openhft.chronicle.wire.DocumentContext dc = t.readingDocument()) {
                    if (!dc.isPresent()) {
                        return out;
                    }
                    out.add(dc.wire().bytes().toByteArray());
                }
            }
        }
    }

    /** A record's bytes as the reference, {@link InferenceRecord#writeTo}, writes them. */
    public static byte[] writeTo(InferenceRecord r) {
        net.openhft.chronicle.bytes.Bytes<byte[]> b =
                net.openhft.chronicle.bytes.Bytes.allocateElasticOnHeap(1024);
        r.writeTo(b);
        return b.toByteArray();
    }

    public static List<Object> read(Path dir) {
        List<Object> out = new ArrayList<>();
        try (ChronicleQueue q = ChronicleQueue.singleBuilder(dir).build()) {
            ExcerptTailer t = q.createTailer();
            while (RecordReader.readOne(
                    t,
                    new RecordReader.Handler() {
                        @Override
                        public void inference(InferenceRecord record, long index) {
                            out.add(record);
                        }

                        @Override
                        public void modelLoad(ModelLoadRecord record, long index) {
                            out.add(record);
                        }

                        @Override
                        public void malformed(RecordFormatException error, long index) {
                            throw new AssertionError("record " + index + " is malformed", error);
                        }

                        @Override
                        public void agentStats(AgentStatsRecord record, long index) {
                            out.add(record);
                        }
                    })) {}
        }
        return out;
    }
}
