package io.mlguard.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlguard.bootstrap.Dispatcher;
import io.mlguard.core.config.AgentConfig;
import io.mlguard.core.queue.QueueContents;
import io.mlguard.core.queue.QueueWriter;
import io.mlguard.core.request.ClientIdPseudonymiser;
import io.mlguard.protocol.AgentStatsRecord;
import io.mlguard.protocol.ClientIdSource;
import io.mlguard.protocol.InferenceRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A task handed off inside a request records the request's (pseudonymised) client on the other
 * thread; the agent's counters reach the queue as a stats record.
 */
class HandoffAndStatsTest {
    static final String KEY = "0123456789abcdef-test-key";
    @TempDir Path tmp;
    final AgentCounters counters = new AgentCounters();
    QueueWriter writer;
    InferenceRecorder recorder;

    void start(String args) throws Exception {
        AgentConfig config =
                AgentConfig.load("queue=" + tmp.resolve("q") + ",minFreeDiskMb=1" + args, Map.of());
        writer =
                QueueWriter.open(
                        config.queueDir,
                        counters,
                        getClass().getClassLoader(),
                        config.minFreeDiskBytes);
        recorder =
                new InferenceRecorder(
                        config,
                        writer,
                        counters,
                        new RuntimeAdapter[] {EnforcementTest.RUNTIME},
                        new RequestAdapter[] {EnforcementTest.REQUESTS},
                        null);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!writer.isOpen() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(writer.isOpen()).isTrue();
        Dispatcher.install(recorder);
    }

    @AfterEach
    void tearDown() {
        Dispatcher.install(null);
        if (writer != null) {
            writer.close();
        }
    }

    void infer() {
        long t = Dispatcher.enterInferenceHook(0);
        Dispatcher.returnInference(null, 0, t, "model", null);
    }

    @Test
    void workPutOffUntilTheFirstRequestRunsOnceBeforeIt() throws Exception {
        start("");
        List<String> order = new java.util.concurrent.CopyOnWriteArrayList<>();
        recorder.beforeFirstRequest(() -> order.add("before"));
        infer(); // an inference outside any request does not count as one
        assertThat(order).isEmpty();
        Dispatcher.enterRequestHook(0, "alice");
        order.add("request 1");
        Dispatcher.exitRequestHook(0);
        Dispatcher.enterRequestHook(0, "bob");
        order.add("request 2");
        Dispatcher.exitRequestHook(0);
        assertThat(order).containsExactly("before", "request 1", "request 2");
    }

    @Test
    void aTaskHandedOffInARequestCarriesItsPseudonymisedClient() throws Exception {
        start(",clientIdKey=" + KEY);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Runnable task = this::infer;
            assertThat(Dispatcher.wrapTask(task)).as("outside a request").isSameAs(task);
            Dispatcher.enterRequestHook(0, "alice-raw");
            Runnable wrapped = Dispatcher.wrapTask(task);
            java.util.concurrent.FutureTask<Object> future =
                    new java.util.concurrent.FutureTask<>(task, null);
            Runnable wrappedFuture = Dispatcher.wrapTask(future);
            Dispatcher.exitRequestHook(0);
            assertThat(wrapped).isNotSameAs(task);
            assertThat(wrappedFuture).isInstanceOf(java.util.concurrent.Future.class);
            pool.submit(wrapped).get(30, TimeUnit.SECONDS);
            pool.execute(wrappedFuture);
            future.get(30, TimeUnit.SECONDS);
            pool.submit(task).get(30, TimeUnit.SECONDS); // unwrapped: no client
        } finally {
            pool.shutdownNow();
        }
        writer.flush(); // the pool thread's records, handed to the writer thread
        List<Object> records = read();
        String pseudonym =
                new ClientIdPseudonymiser(KEY.getBytes(StandardCharsets.UTF_8))
                        .pseudonym("alice-raw");
        assertThat(records).hasSize(3);
        for (int i = 0; i < 2; i++) {
            InferenceRecord r = (InferenceRecord) records.get(i);
            assertThat(r.clientId).isEqualTo(pseudonym);
            assertThat(r.clientIdSource).isEqualTo(ClientIdSource.HEADER);
        }
        assertThat(((InferenceRecord) records.get(2)).clientIdSource)
                .isEqualTo(ClientIdSource.NONE);
        assertThat(rawQueueBytesContain("alice-raw")).isFalse();
    }

    @Test
    void statsRecordsCarryTheCounters() throws Exception {
        start(",statsIntervalSeconds=0");
        Dispatcher.enterRequestHook(0, "bob");
        for (int i = 0; i < 130; i++) {
            infer();
        }
        Dispatcher.exitRequestHook(0);
        writer.flush(); // counted once written, by the writer thread or now
        counters.recordsDropped.add(2);
        counters.inferencesNotSampled.add(5); // as a sampling command would
        AgentStatsReporter reporter =
                new AgentStatsReporter(
                        writer,
                        counters,
                        io.mlguard.core.config.AgentConfig.load("agentId=me@here", Map.of()),
                        10);
        assertThat(writer.write(reporter.snapshot())).isTrue();
        List<Object> records = read();
        AgentStatsRecord s = (AgentStatsRecord) records.get(records.size() - 1);
        assertThat(s.agentId).isEqualTo("me@here");
        assertThat(s.inferencesRecorded).isEqualTo(130);
        assertThat(s.recordsDropped).isEqualTo(2);
        assertThat(s.inferencesNotSampled).isEqualTo(5);
        assertThat(s.capturePaused).isFalse();
        assertThat(s.captureSamples).as("one inference in 64 is timed").isEqualTo(2);
        assertThat(s.captureSampleNanos).isPositive();
        assertThat(counters.inferencesRecorded.sum()).as("a report is not counted").isEqualTo(130);
    }

    private boolean rawQueueBytesContain(String s) throws Exception {
        byte[] needle = s.getBytes(StandardCharsets.UTF_8);
        try (var files = Files.walk(tmp.resolve("q"))) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                byte[] b = Files.readAllBytes(f);
                outer:
                for (int i = 0; i + needle.length <= b.length; i++) {
                    for (int j = 0; j < needle.length; j++) {
                        if (b[i + j] != needle[j]) {
                            continue outer;
                        }
                    }
                    return true;
                }
            }
        }
        return false;
    }

    private List<Object> read() {
        return QueueContents.read(tmp.resolve("q"));
    }
}
