package io.mlguard.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentStatsRecordTest {
    @TempDir Path dir;

    static AgentStatsRecord sample() {
        AgentStatsRecord r = new AgentStatsRecord();
        r.timestampMillis = 1_700_000_000_000L;
        r.agentId = "42@host";
        r.uptimeMillis = 10_000;
        r.inferencesRecorded = 1234;
        r.modelLoadsRecorded = 2;
        r.recordsDropped = 5;
        r.internalErrors = 1;
        r.inferencesRefused = 3;
        r.capturePaused = true;
        r.capturePauses = 1;
        r.captureSamples = 40;
        r.captureSampleNanos = 123_456;
        r.recordsWrittenInline = 7;
        r.inferencesNotSampled = 11;
        return r;
    }

    @Test
    void roundTripsEveryField() {
        Bytes<?> b = Bytes.allocateElasticOnHeap();
        sample().writeTo(b);
        AgentStatsRecord r = (AgentStatsRecord) Records.read(b);
        assertThat(r).usingRecursiveComparison().isEqualTo(sample());
    }

    @Test
    void aNegativeCounterIsMalformed() {
        AgentStatsRecord s = sample();
        s.recordsDropped = -1;
        Bytes<?> b = Bytes.allocateElasticOnHeap();
        s.writeTo(b);
        assertThatThrownBy(() -> Records.read(b))
                .isInstanceOf(RecordFormatException.class)
                .hasMessageContaining("recordsDropped is negative");
    }

    @Test
    void aRecordOfAnAgentBeforeTheInlineCountReadsItAsZero() {
        Bytes<?> old = sampleWithout(16); // the layout before recordsWrittenInline
        AgentStatsRecord r = (AgentStatsRecord) Records.read(old);
        assertThat(r.recordsWrittenInline).isZero();
        assertThat(r.inferencesNotSampled).isZero();
        assertThat(r.captureSampleNanos).isEqualTo(123_456);
        assertThat(old.readRemaining()).isZero();
    }

    @Test
    void aRecordOfAnAgentBeforeTheSampledOutCountReadsItAsZero() {
        Bytes<?> old = sampleWithout(8); // the layout before inferencesNotSampled
        AgentStatsRecord r = (AgentStatsRecord) Records.read(old);
        assertThat(r.recordsWrittenInline).isEqualTo(7);
        assertThat(r.inferencesNotSampled).isZero();
        assertThat(old.readRemaining()).isZero();
    }

    /** The sample record as an older agent wrote it: without its last {@code bytes} bytes. */
    private static Bytes<?> sampleWithout(int bytes) {
        Bytes<?> b = Bytes.allocateElasticOnHeap();
        sample().writeTo(b);
        Bytes<?> old = Bytes.allocateElasticOnHeap();
        old.write(b, 0, b.writePosition() - bytes);
        return old;
    }

    @Test
    void aReaderIgnoresFieldsAddedAfterTheOnesItKnows() {
        Bytes<?> b = Bytes.allocateElasticOnHeap();
        sample().writeTo(b);
        b.writeLong(99); // a counter a later agent adds
        AgentStatsRecord r = (AgentStatsRecord) Records.read(b);
        assertThat(r).usingRecursiveComparison().isEqualTo(sample());
    }

    @Test
    void aTruncatedRecordIsMalformed() {
        Bytes<?> b = Bytes.allocateElasticOnHeap();
        sample().writeTo(b);
        Bytes<?> cut = Bytes.allocateElasticOnHeap();
        cut.write(b, 0, b.writePosition() - 3);
        assertThatThrownBy(() -> Records.read(cut))
                .isInstanceOf(RecordFormatException.class)
                .hasMessageContaining("agent_stats");
    }

    @Test
    void aHandlerThatDoesNotKnowStatsSkipsThemAndReadsOn() {
        try (ChronicleQueue q = ChronicleQueue.singleBuilder(dir).build()) {
            ExcerptAppender a = q.createAppender();
            try (DocumentContext dc = a.writingDocument()) {
                sample().writeTo(dc.wire().bytes());
            }
            try (DocumentContext dc = a.writingDocument()) {
                RecordsTest.sampleInference().writeTo(dc.wire().bytes());
            }
            ExcerptTailer t = q.createTailer();
            List<Object> seen = new ArrayList<>();
            RecordReader.Handler oldReader =
                    new RecordReader.Handler() {
                        @Override
                        public void inference(InferenceRecord record, long index) {
                            seen.add(record);
                        }

                        @Override
                        public void modelLoad(ModelLoadRecord record, long index) {
                            seen.add(record);
                        }

                        @Override
                        public void malformed(RecordFormatException error, long index) {
                            seen.add(error);
                        }
                    };
            while (RecordReader.readOne(t, oldReader)) {}
            assertThat(seen).hasSize(1).first().isInstanceOf(InferenceRecord.class);

            ExcerptTailer t2 = q.createTailer();
            List<AgentStatsRecord> stats = new ArrayList<>();
            RecordReader.Handler statsReader =
                    new RecordReader.Handler() {
                        @Override
                        public void inference(InferenceRecord record, long index) {}

                        @Override
                        public void modelLoad(ModelLoadRecord record, long index) {}

                        @Override
                        public void malformed(RecordFormatException error, long index) {
                            throw new AssertionError(error);
                        }

                        @Override
                        public void agentStats(AgentStatsRecord record, long index) {
                            stats.add(record);
                        }
                    };
            while (RecordReader.readOne(t2, statsReader)) {}
            assertThat(stats).hasSize(1);
            assertThat(stats.get(0).inferencesRecorded).isEqualTo(1234);
        }
    }
}
