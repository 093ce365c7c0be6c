package io.mlguard.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mlguard.bootstrap.ClientBlockedException;
import io.mlguard.core.config.AgentConfig;
import io.mlguard.core.control.ControlRules;
import io.mlguard.core.queue.QueueContents;
import io.mlguard.core.queue.QueueWriter;
import io.mlguard.core.summary.Summaries;
import io.mlguard.protocol.ClientIdSource;
import io.mlguard.protocol.ControlRecord;
import io.mlguard.protocol.InferenceRecord;
import io.mlguard.protocol.ModelLoadRecord;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The recorder's enforcement check with stand-in runtime and request adapters. */
class EnforcementTest {
    @TempDir Path tmp;
    final ControlRules rules = new ControlRules();
    final AgentCounters counters = new AgentCounters();
    InferenceRecorder recorder;
    QueueWriter writer;

    static final RuntimeAdapter RUNTIME =
            new RuntimeAdapter() {
                @Override
                public String runtimeName() {
                    return "fake";
                }

                @Override
                public void summarizeInference(
                        Object t, Object i, Object r, InferenceRecord rec, Summaries s) {}

                @Override
                public ModelIdentity describeModelLoad(
                        Object m, Object s, Object o, ModelLoadRecord r) {
                    return new ModelIdentity("m", 0);
                }

                @Override
                public ModelIdentity identifyUnknownModel(Object target) {
                    return new ModelIdentity("m", 0);
                }
            };

    /** The request object is the client id itself. */
    static final RequestAdapter REQUESTS =
            new RequestAdapter() {
                @Override
                public void describe(Object request, String header, InferenceRecord record) {
                    record.clientIdSource = ClientIdSource.HEADER;
                    record.clientId = (String) request;
                }

                @Override
                public String clientId(Object request, String header) {
                    return (String) request;
                }
            };

    @BeforeEach
    void setUp() {
        AgentConfig config =
                AgentConfig.load(
                        "queue=" + tmp.resolve("q") + ",enforce=true,minFreeDiskMb=1", Map.of());
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
                        new RuntimeAdapter[] {RUNTIME},
                        new RequestAdapter[] {REQUESTS},
                        rules);
        ControlRecord block = new ControlRecord();
        block.action = ControlRecord.Action.BLOCK;
        block.clientId = "mallory";
        block.expiresAtMillis = System.currentTimeMillis() + 60_000;
        rules.apply(block, System.currentTimeMillis(), System.nanoTime());
    }

    /** The queue opens in the background: let it, then close it, before the directory goes. */
    @AfterEach
    void closeQueue() throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!writer.isOpen() && !writer.isDisabled() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        writer.close();
    }

    @Test
    void aBlockedClientsInferenceIsRefusedAndCounted() {
        recorder.enterRequest(0, "mallory");
        assertThatThrownBy(() -> recorder.checkAllowed(0, new Object()))
                .isInstanceOf(ClientBlockedException.class)
                .hasMessageContaining("client 'mallory' is blocked");
        recorder.exitRequest(0);
        assertThat(counters.inferencesRefused.sum()).isEqualTo(1);
    }

    @Test
    void othersNestedCallsAndCallsOutsideRequestsPass() {
        recorder.checkAllowed(0, new Object());
        recorder.enterRequest(0, "alice");
        recorder.checkAllowed(0, new Object());
        recorder.exitRequest(0);
        recorder.enterRequest(0, "mallory");
        long token = recorder.enterInference(0);
        recorder.checkAllowed(0, new Object()); // nested inside an allowed outer call
        recorder.exitInference(0, token, new Object(), null, null, null);
        recorder.exitRequest(0);
        assertThat(counters.inferencesRefused.sum()).isZero();
    }

    @Test
    void aSampledClientsInferencesAreRecordedOneInEveryAndTheRestCounted() throws Exception {
        ControlRecord sample = new ControlRecord();
        sample.action = ControlRecord.Action.SAMPLE;
        sample.clientId = "bob";
        sample.recordEvery = 3;
        sample.expiresAtMillis = System.currentTimeMillis() + 60_000;
        rules.apply(sample, System.currentTimeMillis(), System.nanoTime());
        for (String client : new String[] {"alice", "bob"}) {
            for (int i = 0; i < 9; i++) {
                recorder.enterRequest(0, client);
                long token = recorder.enterInference(0);
                recorder.exitInference(0, token, new Object(), null, null, null);
                recorder.exitRequest(0);
            }
        }
        assertThat(counters.inferencesNotSampled.sum()).isEqualTo(6);
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!writer.isOpen() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        writer.flushAtExit(); // the records kept in memory until the queue opened, and any waiting
        Map<String, Integer> byClient = new java.util.TreeMap<>();
        for (Object o : QueueContents.read(tmp.resolve("q"))) {
            if (o instanceof InferenceRecord) {
                byClient.merge(((InferenceRecord) o).clientId, 1, Integer::sum);
            }
        }
        assertThat(byClient).containsExactly(Map.entry("alice", 9), Map.entry("bob", 3));
    }
}
