package io.mlguard.collector.explain.llm;

import static io.mlguard.collector.TestRecords.T0;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mlguard.collector.detect.Severity;
import io.mlguard.collector.detect.Signal;
import io.mlguard.collector.detect.SignalType;
import io.mlguard.collector.explain.Explanation;
import io.mlguard.collector.incident.InMemoryIncidentStore;
import io.mlguard.collector.incident.Incident;
import io.mlguard.collector.incident.IncidentManager;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class AsyncExplainerTest {
    private static Signal nan(String client, long index) {
        return Signal.builder(SignalType.INVALID_INPUT, Severity.HIGH, "nan_or_inf")
                .model("mnist")
                .client(client)
                .record(index, T0 + index)
                .evidence("input", "x")
                .evidence("nanCount", 2L)
                .build();
    }

    private static String validFor(long count) {
        ObjectNode a = Answers.valid("MODEL_1");
        a.put("count", count);
        a.putArray("citedEvidence").add("nanCount");
        a.put("techniqueId", "AML.T0043");
        return a.toString();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    @Test
    void incidentsNeverWaitAndAreUpdatedWhenTheAnswerArrives() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (FakeOpenAiServer server = new FakeOpenAiServer()) {
            server.script(FakeOpenAiServer.Reply.after(release, validFor(1)));
            LlmSettings s =
                    LlmSettings.of(
                            Map.of(
                                    "baseUrl", server.baseUrl(),
                                    "model", "m",
                                    "timeoutSeconds", "30"));
            InMemoryIncidentStore store = new InMemoryIncidentStore();
            IncidentManager[] manager = new IncidentManager[1];
            try (AsyncExplainer async =
                    new AsyncExplainer(
                            new LlmExplainer(ChatModels.create(s, Map.of()), s, null),
                            10,
                            store::get,
                            (id, e) -> {
                                synchronized (manager[0]) {
                                    store.get(id).ifPresent(i -> store.put(i.withExplanation(e)));
                                }
                            })) {
                manager[0] =
                        new IncidentManager(
                                store, async, Clock.systemUTC(), Duration.ofMinutes(10), 100);

                // The LLM is holding its answer; the incident is there already, explained.
                manager[0].accept(nan("c1", 1));
                Incident now = store.list().get(0);
                assertThat(now.explanation().source()).isEqualTo("deterministic");
                assertThat(now.explanation().summary()).contains("NaN");
                assertThat(release.getCount()).isEqualTo(1);

                release.countDown();
                await(
                        "the LLM explanation on the incident",
                        () -> "llm".equals(store.get(now.id()).get().explanation().source()));
                Explanation e = store.get(now.id()).get().explanation();
                assertThat(e.summary()).contains("c1"); // CLIENT_1 mapped back
                assertThat(e.fallbackReason()).isNull();
                assertThat(async.completedRequests()).isEqualTo(1);
            }
        }
    }

    @Test
    void aFullQueueDropsRequestsInsteadOfBlocking() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (FakeOpenAiServer server = new FakeOpenAiServer()) {
            server.script(FakeOpenAiServer.Reply.hang(release));
            LlmSettings s =
                    LlmSettings.of(
                            Map.of(
                                    "baseUrl", server.baseUrl(),
                                    "model", "m",
                                    "timeoutSeconds", "30",
                                    "maxAttempts", "1"));
            InMemoryIncidentStore store = new InMemoryIncidentStore();
            try (AsyncExplainer async =
                    new AsyncExplainer(
                            new LlmExplainer(ChatModels.create(s, Map.of()), s, null),
                            2,
                            store::get,
                            (id, e) ->
                                    store.get(id)
                                            .ifPresent(i -> store.put(i.withExplanation(e))))) {
                IncidentManager m =
                        new IncidentManager(
                                store, async, Clock.systemUTC(), Duration.ofMinutes(10), 100);
                m.accept(nan("c0", 0));
                await("the first request at the LLM", () -> server.bodies().size() == 1);
                for (int i = 1; i <= 5; i++) {
                    m.accept(nan("c" + i, i)); // one incident per client
                }
                assertThat(store.size()).isEqualTo(6);
                assertThat(async.droppedRequests()).isEqualTo(3); // 1 running, 2 queued
                release.countDown();
                await("the running and queued requests", () -> async.completedRequests() == 3);
                // The hung request's answer ("{}") was rejected: the reason is on the incident.
                assertThat(store.list())
                        .extracting(i -> i.explanation().fallbackReason())
                        .contains("answer lacks the text field summary");
            } finally {
                release.countDown();
            }
        }
    }
}
