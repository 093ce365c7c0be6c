package io.mlguard.core.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlguard.protocol.InferenceRecord;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpenQueueTest {
    @TempDir Path tmp;

    /** The size the disk guard is charged is the record's, copied whole from the heap buffer. */
    @Test
    void appendCopiesTheWholeRecordAndReturnsItsSize() {
        InferenceRecord r = new InferenceRecord();
        r.agentId = "1@test";
        r.modelId = "mnist";
        r.clientId = "client-\u00e9\u4e2d"; // multi-byte characters: bytes, not chars, are counted
        r.timestampMillis = 42;
        int expected = OpenQueue.serialise(r).length;
        try (OpenQueue q = new OpenQueue(tmp.toFile())) {
            assertThat(q.append(r, null)).isEqualTo(expected);
            r.clientId = "x".repeat(3000); // larger than the buffer's first size
            assertThat(q.append(r, null)).isEqualTo(OpenQueue.serialise(r).length);
        }
        List<Object> read = QueueContents.read(tmp);
        assertThat(read).hasSize(2);
        assertThat(((InferenceRecord) read.get(0)).clientId).isEqualTo("client-\u00e9\u4e2d");
        assertThat(((InferenceRecord) read.get(1)).clientId).hasSize(3000);
    }
}
