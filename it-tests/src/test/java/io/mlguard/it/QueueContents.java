package io.mlguard.it;

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

/** Everything in a queue, decoded with the unshaded protocol classes; a bad record fails. */
final class QueueContents {
    final List<InferenceRecord> inferences = new ArrayList<>();
    final List<ModelLoadRecord> modelLoads = new ArrayList<>();
    final List<AgentStatsRecord> agentStats = new ArrayList<>();

    static QueueContents read(Path dir) {
        QueueContents c = new QueueContents();
        try (ChronicleQueue q = ChronicleQueue.singleBuilder(dir).readOnly(true).build()) {
            ExcerptTailer t = q.createTailer();
            while (RecordReader.readOne(
                    t,
                    new RecordReader.Handler() {
                        @Override
                        public void inference(InferenceRecord record, long index) {
                            c.inferences.add(record);
                        }

                        @Override
                        public void modelLoad(ModelLoadRecord record, long index) {
                            c.modelLoads.add(record);
                        }

                        @Override
                        public void agentStats(AgentStatsRecord record, long index) {
                            c.agentStats.add(record);
                        }

                        @Override
                        public void malformed(RecordFormatException error, long index) {
                            throw new AssertionError("malformed record at " + index, error);
                        }
                    })) {}
        }
        return c;
    }
}
