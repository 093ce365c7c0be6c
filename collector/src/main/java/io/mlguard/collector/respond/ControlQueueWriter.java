package io.mlguard.collector.respond;

import io.mlguard.protocol.ControlRecord;
import java.nio.file.Path;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Appends block, throttle, sample and lift commands to the control queue the agents read (agents
 * obey them only when started with {@code enforce=true}). Used from one thread: the response
 * engine's.
 */
public final class ControlQueueWriter implements AutoCloseable {
    private final ChronicleQueue queue;
    private final ExcerptAppender appender;

    public ControlQueueWriter(Path dir) {
        queue = ChronicleQueue.singleBuilder(dir).build();
        appender = queue.createAppender();
    }

    /** Appends one command. */
    public void write(ControlRecord command) {
        try (DocumentContext dc = appender.writingDocument()) {
            command.writeTo(dc.wire().bytes());
        }
    }

    @Override
    public void close() {
        appender.close();
        queue.close();
    }
}
