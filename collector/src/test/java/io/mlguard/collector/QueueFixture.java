package io.mlguard.collector;

import io.mlguard.protocol.InferenceRecord;
import io.mlguard.protocol.ModelLoadRecord;
import io.mlguard.protocol.RecordType;
import java.nio.file.Path;
import java.util.function.Consumer;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.wire.DocumentContext;

/** Writes records to a real Chronicle Queue the way the agent does (FAST_HOURLY, raw bytes). */
public final class QueueFixture implements AutoCloseable {
    private final ChronicleQueue queue;
    private final ExcerptAppender appender;

    public QueueFixture(Path dir) {
        queue =
                ChronicleQueue.singleBuilder(dir.toFile())
                        .rollCycle(RollCycles.FAST_HOURLY)
                        .build();
        appender = queue.createAppender();
    }

    public void write(InferenceRecord r) {
        raw(r::writeTo);
    }

    public void write(ModelLoadRecord m) {
        raw(m::writeTo);
    }

    /** A record from a newer agent: valid envelope, schema version this collector doesn't know. */
    public void writeUnknownVersion() {
        raw(
                b -> {
                    b.writeShort(io.mlguard.protocol.Records.MAGIC);
                    b.writeUnsignedByte(io.mlguard.protocol.Records.SCHEMA_VERSION + 1);
                    b.writeUnsignedByte(RecordType.INFERENCE.code());
                    b.writeLong(42);
                });
    }

    /** The first {@code keep} bytes of a real inference record. */
    public void writeTruncated(InferenceRecord r, int keep) {
        Bytes<?> full = Bytes.allocateElasticOnHeap();
        r.writeTo(full);
        byte[] all = full.toByteArray();
        raw(b -> b.write(all, 0, Math.min(keep, all.length)));
    }

    private void raw(Consumer<Bytes<?>> writer) {
        try (DocumentContext dc = appender.writingDocument()) {
            writer.accept(dc.wire().bytes());
        }
    }

    @Override
    public void close() {
        appender.close();
        queue.close();
    }
}
