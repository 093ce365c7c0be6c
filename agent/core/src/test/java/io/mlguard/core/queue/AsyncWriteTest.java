package io.mlguard.core.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlguard.core.AgentCounters;
import io.mlguard.protocol.InferenceRecord;
import io.mlguard.protocol.ModelLoadRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records handed to the queue's writer thread: none lost, each thread's in order, whether the
 * writer thread keeps up, the rings overflow onto the serving threads, or the queue closes with
 * records still waiting.
 */
class AsyncWriteTest {
    @TempDir Path tmp;

    private QueueWriter openWriter(AgentCounters counters, boolean async) {
        QueueWriter w = QueueWriter.create(tmp.toFile(), counters, 1L << 20, async);
        w.write(record(-1, -1)); // kept until the queue opens
        w.flushAtExit(); // opens it now
        assertThat(w.isOpen()).isTrue();
        return w;
    }

    @Test
    void manyThreadsBurstingOverflowTheirRingsYetEveryRecordIsWrittenInOrder() throws Exception {
        AgentCounters counters = new AgentCounters();
        QueueWriter w = openWriter(counters, true);
        int threads = 4;
        int perThread = 5_000; // some 3 MB per thread: far more than a ring holds
        List<Thread> all = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < threads; t++) {
            int id = t;
            all.add(
                    new Thread(
                            () -> {
                                try {
                                    InferenceRecord r = record(id, 0);
                                    for (int i = 0; i < perThread; i++) {
                                        r.timestampMillis = i;
                                        assertThat(w.write(r)).isTrue();
                                        if (i == perThread / 2) {
                                            ModelLoadRecord m = new ModelLoadRecord();
                                            m.agentId = "1@test";
                                            m.modelId = "load-" + id;
                                            m.timestampMillis = i;
                                            assertThat(w.write(m)).isTrue();
                                        }
                                    }
                                } catch (Throwable e) {
                                    failures.add(e);
                                }
                            }));
        }
        all.forEach(Thread::start);
        for (Thread t : all) {
            t.join(60_000);
        }
        assertThat(failures).isEmpty();
        w.close(); // writes what still waits in the rings
        List<Object> read = QueueContents.read(tmp);
        assertThat(read).hasSize(1 + threads * (perThread + 1));
        Map<String, Integer> next = new HashMap<>();
        for (Object o : read.subList(1, read.size())) {
            if (o instanceof ModelLoadRecord) {
                ModelLoadRecord m = (ModelLoadRecord) o;
                // a thread's model load comes after its earlier inferences, before its later ones
                String client = "client-" + m.modelId.substring("load-".length());
                assertThat(next.get(client)).isEqualTo(perThread / 2 + 1);
                continue;
            }
            InferenceRecord r = (InferenceRecord) o;
            int expected = next.getOrDefault(r.clientId, 0);
            assertThat(r.timestampMillis).as(r.clientId).isEqualTo(expected);
            assertThat(r.outputs[0].topClasses[0]).isEqualTo(7);
            next.put(r.clientId, expected + 1);
        }
        assertThat(next).hasSize(threads).allSatisfy((c, n) -> assertThat(n).isEqualTo(perThread));
        assertThat(counters.inferencesRecorded.sum()).isEqualTo(1 + threads * perThread);
        assertThat(counters.modelLoadsRecorded.sum()).isEqualTo(threads);
        assertThat(counters.recordsDropped.sum()).isZero();
        System.out.println("burst: " + counters); // how often the rings were full
    }

    @Test
    void theWriterThreadWritesRecordsWhileTheServerRunsAndSleepsWhenItIsIdle() throws Exception {
        AgentCounters counters = new AgentCounters();
        QueueWriter w = openWriter(counters, true);
        InferenceRecord r = record(0, 0);
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 10; i++) {
                r.timestampMillis = round * 10 + i;
                assertThat(w.write(r)).isTrue();
            }
            // written without a close or a flush: by the writer thread, woken or on its round
            long want = 1 + (round + 1) * 10L;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (counters.inferencesRecorded.sum() < want && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertThat(counters.inferencesRecorded.sum()).isEqualTo(want);
            Thread.sleep(150); // long enough for the writer thread to reach its longest sleep
        }
        assertThat(counters.recordsWrittenInline.sum()).isZero();
        RingDrainer d = w.drainer();
        assertThat(d).isNotNull();
        assertThat(d.ringCount()).isEqualTo(1); // this thread's; the opening one has none
        w.close();
        assertThat(QueueContents.read(tmp)).hasSize(31);
    }

    @Test
    void ringsOfEndedThreadsAreWrittenThenForgotten() throws Exception {
        AgentCounters counters = new AgentCounters();
        QueueWriter w = openWriter(counters, true);
        Thread t = new Thread(() -> w.write(record(1, 5)));
        t.start();
        t.join();
        RingDrainer d = w.drainer();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (d.ringCount() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(d.ringCount()).isZero();
        assertThat(counters.inferencesRecorded.sum()).isEqualTo(2);
        w.close();
        assertThat(QueueContents.read(tmp)).hasSize(2);
    }

    @Test
    void withAsyncWriteOffRecordsAreWrittenOnTheCallingThread() {
        AgentCounters counters = new AgentCounters();
        QueueWriter w = openWriter(counters, false);
        assertThat(w.write(record(0, 3))).isTrue();
        assertThat(counters.inferencesRecorded.sum()).isEqualTo(2); // counted as written, at once
        assertThat(w.drainer()).isNull();
        w.close();
        assertThat(QueueContents.read(tmp)).hasSize(2);
    }

    @Test
    void pausesLengthenWhileNothingIsWrittenAndVanishWhileMuchIs() {
        long pause = RingDrainer.MIN_IDLE_NANOS;
        List<Long> idle = new ArrayList<>();
        for (int round = 0; round < 9; round++) {
            pause = RingDrainer.nextPause(pause, 0);
            idle.add(pause / 1_000_000);
        }
        assertThat(idle).containsExactly(2L, 4L, 8L, 16L, 32L, 64L, 100L, 100L, 100L);
        assertThat(RingDrainer.nextPause(100_000_000, 1)).isEqualTo(RingDrainer.BUSY_PAUSE_NANOS);
        assertThat(RingDrainer.nextPause(100_000_000, RingDrainer.BATCH)).isZero();
        assertThat(RingDrainer.nextPause(0, 0)).isEqualTo(RingDrainer.MIN_IDLE_NANOS);
    }

    static InferenceRecord record(int client, long timestamp) {
        InferenceRecord r = QueueContents.mnistRecord();
        r.clientId = "client-" + client;
        r.timestampMillis = timestamp;
        return r;
    }
}
