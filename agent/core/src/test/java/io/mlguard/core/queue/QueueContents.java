package io.mlguard.core.queue;

import io.mlguard.protocol.AgentStatsRecord;
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

    /** Inference, model-load and agent-stats records, as decoded. */
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
