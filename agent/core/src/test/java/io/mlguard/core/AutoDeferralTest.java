package io.mlguard.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlguard.bootstrap.ClientBlockedException;
import io.mlguard.core.control.ControlRules;
import io.mlguard.core.queue.QueueContents;
import io.mlguard.core.queue.QueueWriter;
import io.mlguard.protocol.ControlRecord;
import io.mlguard.protocol.InferenceRecord;
import io.mlguard.protocol.ModelLoadRecord;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deferSummaries=auto} (the default) against summarising every inference on its thread:
 * models whose size crosses {@code deferAboveElements} both ways, refused inferences and model
 * loads among deferred captures, {@code asyncWrite}, a full ring, threads that serve one inference
 * each, a summary thread that stops or cannot start.
 */
class AutoDeferralTest {
    @TempDir Path tmp;
    Recorders recorders;
    Map<String, AgentCounters> counters;
    Map<String, QueueWriter> writerOf;

    @BeforeEach
    void setUp() {
        recorders = new Recorders(tmp);
        counters = recorders.counters;
        writerOf = recorders.writers;
    }

    @AfterEach
    void tearDown() {
        recorders.close();
    }

    /** A recorder whose queue is open, with {@code asyncWrite} as {@code args} say. */
    InferenceRecorder recorder(String name, String args, ControlRules rules) throws Exception {
        return recorder(name, args, rules, 1 << 20);
    }

    InferenceRecorder recorder(String name, String args, ControlRules rules, long minFreeBytes)
            throws Exception {
        return recorders.open(name, args, rules, DeferredSummariesTest.RUNTIME, minFreeBytes);
    }

    /** Rules that block the clients {@code t0-blocked} to {@code t<threads-1>-blocked}. */
    static ControlRules blocking(int threads) {
        ControlRules rules = new ControlRules();
        for (int t = 0; t < threads; t++) {
            ControlRecord block = new ControlRecord();
            block.action = ControlRecord.Action.BLOCK;
            block.clientId = "t" + t + "-blocked";
            block.expiresAtMillis = System.currentTimeMillis() + 600_000;
            rules.apply(block, System.currentTimeMillis(), System.nanoTime());
        }
        return rules;
    }

    /**
     * Thread {@code t}'s traffic: {@code n} inferences of one model whose input length varies as a
     * sequence length does (below and above 2048 elements, and once in a while beyond the 256 KB
     * copy), its blocked client refused now and then, and a model load now and then. The first step
     * is an inference, so that the model is known to every refusal.
     */
    static void traffic(InferenceRecorder rec, int t, int from, int to) {
        Random rnd = new Random(31L * t + 7 + 1_000_003L * from);
        int[] lengths = {100, 700, 1500, 2100, 3000, 9000, 70_000};
        for (int i = from; i < to; i++) {
            int step = i == 0 ? 0 : rnd.nextInt(20);
            if (step == 1) {
                rec.enterRequest(0, "t" + t + "-blocked");
                try {
                    rec.checkAllowed(0, "encoder");
                    throw new AssertionError("not refused");
                } catch (ClientBlockedException expected) {
                    // refused, and recorded
                } finally {
                    rec.exitRequest(0);
                }
                continue;
            }
            if (step == 2) {
                long token = rec.enterModelLoad(0);
                rec.exitModelLoad(0, token, "t" + t + "-load-" + i, null, null, null);
                continue;
            }
            float[] x = new float[lengths[rnd.nextInt(lengths.length - (i % 50 == 0 ? 0 : 1))]];
            for (int j = 0; j < x.length; j++) {
                x[j] = rnd.nextFloat() < 0.3f ? 0 : rnd.nextFloat();
            }
            float[] y = new float[10];
            for (int j = 0; j < y.length; j++) {
                y[j] = (float) rnd.nextGaussian() * 4;
            }
            rec.enterRequest(0, "t" + t);
            long token = rec.enterInference(0);
            rec.exitInference(0, token, "encoder", x, y, null);
            rec.exitRequest(0);
        }
    }

    /** {@code threads} threads of {@link #traffic}, then the agent's exit (recorder, writer). */
    void serve(String name, String args, int threads, int n) throws Exception {
        serve(name, args, threads, n, false);
    }

    /**
     * As {@link #serve(String, String, int, int)}; {@code exitWhileServing}: the recorder's exit
     * flush (which stops the summary thread) runs once every thread has served a quarter of its
     * steps, while they go on, as when the JVM exits with requests in flight.
     */
    void serve(String name, String args, int threads, int n, boolean exitWhileServing)
            throws Exception {
        InferenceRecorder rec = recorder(name, args, blocking(threads));
        CountDownLatch quarter = new CountDownLatch(threads);
        List<Thread> all = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            all.add(
                    new Thread(
                            () -> {
                                traffic(rec, id, 0, n / 4);
                                quarter.countDown();
                                traffic(rec, id, n / 4, n);
                            },
                            "server-" + t));
        }
        all.forEach(Thread::start);
        if (exitWhileServing) {
            quarter.await();
            rec.flushAtExit();
        }
        for (Thread th : all) {
            th.join();
        }
        if (!exitWhileServing) {
            rec.flushAtExit(); // once, as the shutdown hook does
        }
        writerOf.get(name).flushAtExit();
    }

    /** Each serving thread's records in queue order, but for the clock; loads by id. */
    static Map<String, List<String>> byThread(Path queue) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Object o : QueueContents.read(queue)) {
            if (o instanceof InferenceRecord) {
                InferenceRecord r = (InferenceRecord) o;
                out.computeIfAbsent(r.clientId.split("-")[0], k -> new ArrayList<>())
                        .add(r.clientId + " " + QueueContents.bytesButClock(r));
            } else if (o instanceof ModelLoadRecord) {
                String id = ((ModelLoadRecord) o).modelId;
                out.computeIfAbsent(id.split("-")[0], k -> new ArrayList<>()).add("load " + id);
            }
        }
        return out;
    }

    @Test
    void sizesCrossingTheThresholdBothWaysAmongRefusalsAndLoadsKeepEachThreadsRecords()
            throws Exception {
        int threads = 3;
        int n = 400;
        serve("inline", ",deferSummaries=false", threads, n);
        Map<String, List<String>> expected = byThread(tmp.resolve("inline"));
        assertThat(expected).hasSize(threads);
        assertThat(expected.get("t0")).hasSize(n);
        assertThat(expected.get("t0")).anyMatch(s -> s.startsWith("load "));
        assertThat(expected.get("t0")).anyMatch(s -> s.startsWith("t0-blocked "));
        for (String args :
                List.of(
                        "",
                        ",asyncWrite=true",
                        ",captureSlots=2,asyncWrite=true",
                        ",deferAboveElements=1000,stageKb=16")) {
            String name = "auto" + counters.size();
            serve(name, args, threads, n);
            assertThat(byThread(tmp.resolve(name))).as(args).isEqualTo(expected);
            AgentCounters c = counters.get(name);
            assertThat(c.recordsDropped.sum() + c.internalErrors.sum()).as(args).isZero();
            assertThat(c.inferencesRecorded.sum())
                    .as(args)
                    .isEqualTo(counters.get("inline").inferencesRecorded.sum());
            assertThat(c.capturesDeferred.sum()).as(args + ": some deferred").isPositive();
        }
    }

    @Test
    void anExitWhileThreadsServeLosesNoneOfTheirRecordsNorTheirOrder() throws Exception {
        int threads = 3;
        int n = 400;
        serve("inline", ",deferSummaries=false", threads, n);
        Map<String, List<String>> expected = byThread(tmp.resolve("inline"));
        assertThat(expected.get("t1")).hasSize(n);
        for (String args : List.of("", ",asyncWrite=true", ",deferSummaries=true")) {
            String name = "exit" + counters.size();
            serve(name, args, threads, n, true);
            assertThat(byThread(tmp.resolve(name))).as(args).isEqualTo(expected);
            AgentCounters c = counters.get(name);
            assertThat(c.recordsDropped.sum() + c.internalErrors.sum()).as(args).isZero();
            assertThat(c.capturesDeferred.sum()).as(args + ": some deferred").isPositive();
        }
    }

    @Test
    void aStoppedSummaryThreadIsAskedToStartWithoutItsLock() throws Exception {
        // stopped as at exit, after it died, or after its start failed: every capture that would
        // be deferred asks it to start, on every serving thread
        SummaryThread summaries = new SummaryThread(null, new AgentCounters(), null, 4);
        summaries.stop();
        Thread caller = new Thread(summaries::start);
        synchronized (summaries) { // as while another thread registers its ring
            caller.start();
            caller.join(30_000);
            assertThat(caller.isAlive()).as("blocked on the summary thread's lock").isFalse();
        }
        assertThat(summaries.running()).isFalse();
    }

    /** The recorder's summary thread. */
    static SummaryThread summaryThread(InferenceRecorder rec) throws Exception {
        Field f = InferenceRecorder.class.getDeclaredField("summaryThread");
        f.setAccessible(true);
        return (SummaryThread) f.get(rec);
    }

    static CaptureRing[] rings(SummaryThread t) throws Exception {
        Field f = SummaryThread.class.getDeclaredField("rings");
        f.setAccessible(true);
        return (CaptureRing[]) f.get(t);
    }

    static void set(SummaryThread t, String field, boolean value) throws Exception {
        Field f = SummaryThread.class.getDeclaredField(field);
        f.setAccessible(true);
        f.setBoolean(t, value);
    }

    /** One inference of {@code model} with {@code elements} input elements, by {@code client}. */
    static void infer(InferenceRecorder rec, String client, String model, int elements) {
        float[] x = new float[elements];
        Arrays.fill(x, 0.5f);
        rec.enterRequest(0, client);
        long token = rec.enterInference(0);
        rec.exitInference(0, token, model, x, new float[] {1, 2, 3}, null);
        rec.exitRequest(0);
    }

    @Test
    void smallCapturesAreDeferredWhileACoreIsSpareAndStayOnTheirThreadOnceTheCoresAreBusy()
            throws Exception {
        // the summary thread reads these files as it would /proc, every millisecond
        Path self = tmp.resolve("self-stat");
        Path host = tmp.resolve("stat");
        CpuHeadroomTest files = new CpuHeadroomTest();
        files.tmp = tmp;
        files.write(self, CpuHeadroomTest.processLine(0, 0));
        files.write(host, CpuHeadroomTest.hostStat(2, 0, 0, 0));
        CpuHeadroom headroom = new CpuHeadroom(self, host, 2, 1_000_000);
        InferenceRecorder rec =
                recorders.open("spare", "", null, DeferredSummariesTest.RUNTIME, 1 << 20, headroom);
        AgentCounters c = counters.get("spare");
        SummaryThread t = summaryThread(rec);
        for (int i = 0; i < 10; i++) {
            infer(rec, "before", "digit", 784);
        }
        assertThat(c.capturesDeferred.sum()).as("no reading has found a spare core").isZero();
        assertThat(t.running()).as("started by the small captures, to look").isTrue();
        // the files change only once the summary thread has read them as they are: a first
        // reading of the changed ones would leave it nothing to compare them with
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (headroom.readings() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertThat(headroom.readings()).as("readings of the quiet files").isPositive();

        // 200 ticks of the host's 2 cores: the process used 10 (0.1 core), the rest idled
        files.write(self, CpuHeadroomTest.processLine(10, 0));
        files.write(host, CpuHeadroomTest.hostStat(2, 10, 190, 0));
        awaitSpareCore(t, true);
        for (int i = 0; i < 20; i++) {
            infer(rec, "spare", "digit", 784);
        }
        long deferred = c.capturesDeferred.sum();
        assertThat(deferred).as("784 + 3 elements, deferred on a spare core").isBetween(1L, 20L);

        // the next 200 ticks, all the process's: both cores busy
        files.write(self, CpuHeadroomTest.processLine(210, 0));
        files.write(host, CpuHeadroomTest.hostStat(2, 210, 190, 0));
        awaitSpareCore(t, false);
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!rings(t)[0].isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        for (int i = 0; i < 20; i++) {
            infer(rec, "busy", "digit", 784);
        }
        assertThat(c.capturesDeferred.sum()).as("none deferred while busy").isEqualTo(deferred);
        rec.flushAtExit();
        assertThat(c.inferencesRecorded.sum()).isEqualTo(50);
        Map<String, List<String>> records = DeferredSummariesTest.byClient(tmp.resolve("spare"));
        assertThat(records.get("before")).hasSize(10);
        assertThat(records.get("spare")).hasSize(20);
        assertThat(records.get("busy")).hasSize(20);
    }

    static void awaitSpareCore(SummaryThread t, boolean spare) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (t.spareCore() != spare && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertThat(t.spareCore()).as("a spare core").isEqualTo(spare);
    }

    @Test
    void threadsThatServeOneInferenceEachMakeNoCaptureRing() throws Exception {
        // a thread per request (or a virtual thread per request): with auto each such thread would
        // make a capture ring (64 slots and an arena grown to the capture) for one capture, and
        // the summary thread would keep it until a round that finds nothing
        InferenceRecorder rec = recorder("per-request", "", null);
        infer(rec, "warm", "encoder", 20_000); // the model's captures are large from now on
        infer(rec, "warm", "encoder", 20_000);
        int requests = 200;
        for (int i = 0; i < requests; i++) {
            Thread t = new Thread(() -> infer(rec, "req", "encoder", 20_000));
            t.start();
            t.join();
        }
        AgentCounters c = counters.get("per-request");
        assertThat(c.capturesDeferred.sum()).isZero();
        assertThat(rings(summaryThread(rec))).isEmpty();

        // a thread that keeps serving the model defers it after its first few captures
        for (int i = 0; i < 10; i++) {
            infer(rec, "pooled", "encoder", 20_000);
        }
        // (some not, when its arena is still full of the last two: 80 KB each, 256 KB at most)
        assertThat(c.capturesDeferred.sum())
                .isBetween(1L, 10L + 2 - InferenceRecorder.INLINE_FIRST_CAPTURES);
        rec.flushAtExit();
        assertThat(c.inferencesRecorded.sum()).isEqualTo(requests + 12);
    }

    @Test
    void afterTheSummaryThreadDiesItsWaitingCapturesAreWrittenInOrder() throws Exception {
        InferenceRecorder rec = recorder("died", ",deferSummaries=true", null);
        SummaryThread summaries = summaryThread(rec);
        // started but taking nothing (a summary thread that stalls): the captures wait
        set(summaries, "started", true);
        Thread idle =
                new Thread(
                        () -> {
                            for (int i = 0; i < 5; i++) {
                                infer(rec, "idle", "encoder", 100 + i);
                            }
                        });
        idle.start();
        idle.join();
        for (int i = 0; i < 5; i++) {
            infer(rec, "busy", "encoder", 100 + i);
        }
        AgentCounters c = counters.get("died");
        assertThat(c.capturesDeferred.sum()).isEqualTo(10);
        assertThat(QueueContents.read(tmp.resolve("died"))).isEmpty();
        // it dies (its run loop ends with stopped set): this thread writes its own waiting
        // captures before its next record, the ended thread's wait for the exit
        set(summaries, "stopped", true);
        for (int i = 5; i < 8; i++) {
            infer(rec, "busy", "encoder", 100 + i);
        }
        List<String> order = new ArrayList<>();
        for (Object o : QueueContents.read(tmp.resolve("died"))) {
            InferenceRecord r = (InferenceRecord) o;
            order.add(r.clientId + " " + r.inputs[0].count);
        }
        assertThat(order)
                .containsExactly(
                        "busy 100",
                        "busy 101",
                        "busy 102",
                        "busy 103",
                        "busy 104",
                        "busy 105",
                        "busy 106",
                        "busy 107");
        rec.flushAtExit();
        order.clear();
        for (Object o : QueueContents.read(tmp.resolve("died"))) {
            InferenceRecord r = (InferenceRecord) o;
            order.add(r.clientId + " " + r.inputs[0].count);
        }
        assertThat(order.subList(8, order.size()))
                .containsExactly("idle 100", "idle 101", "idle 102", "idle 103", "idle 104");
        assertThat(c.inferencesRecorded.sum()).isEqualTo(13);
        assertThat(c.recordsDropped.sum() + c.internalErrors.sum()).isZero();
    }

    @Test
    void capturesDeferredWhileTheDiskGuardPausesCaptureAreCountedAsDropped() throws Exception {
        // more free space than any disk has: capture is paused from the start, and stays so
        InferenceRecorder rec = recorder("paused", "", null, Long.MAX_VALUE / 2);
        assertThat(writerOf.get("paused").capturePaused()).isTrue();
        Thread other =
                new Thread(
                        () -> {
                            for (int i = 0; i < 20; i++) {
                                infer(rec, "bob", "encoder", 3000);
                            }
                        });
        other.start();
        for (int i = 0; i < 20; i++) {
            infer(rec, "alice", "encoder", 3000 - 100 * (i % 2));
        }
        other.join();
        rec.flushAtExit();
        AgentCounters c = counters.get("paused");
        assertThat(c.capturesDeferred.sum()).isPositive();
        assertThat(c.inferencesRecorded.sum()).isZero();
        assertThat(c.recordsDropped.sum()).isEqualTo(40);
        assertThat(c.internalErrors.sum()).isZero();
    }

    @Test
    void theRingsOfEndedThreadsAreDroppedOnceWritten() throws Exception {
        InferenceRecorder rec = recorder("ended", ",deferSummaries=true", null);
        SummaryThread summaries = summaryThread(rec);
        List<Thread> ended = new ArrayList<>();
        for (int t = 0; t < 20; t++) {
            Thread th =
                    new Thread(
                            () -> {
                                for (int i = 0; i < 3; i++) {
                                    infer(rec, "c", "encoder", 3000);
                                }
                            });
            th.start();
            th.join();
            ended.add(th);
        }
        AgentCounters c = counters.get("ended");
        assertThat(c.capturesDeferred.sum()).isPositive();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (rings(summaries).length > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(rings(summaries)).as("kept after their threads ended").isEmpty();
        assertThat(c.inferencesRecorded.sum()).isEqualTo(60);
        assertThat(c.recordsDropped.sum() + c.internalErrors.sum()).isZero();
    }
}
