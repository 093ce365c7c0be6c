package io.mlguard.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlguard.bootstrap.ClientBlockedException;
import io.mlguard.core.config.AgentConfig;
import io.mlguard.core.control.ControlRules;
import io.mlguard.core.queue.QueueContents;
import io.mlguard.core.queue.QueueWriter;
import io.mlguard.core.summary.Summaries;
import io.mlguard.protocol.ControlRecord;
import io.mlguard.protocol.DType;
import io.mlguard.protocol.InferenceRecord;
import io.mlguard.protocol.ModelLoadRecord;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With {@code deferSummaries=true} the serving threads only copy their tensors and the summary
 * thread writes the records: the queue then holds the records that summarising on the serving
 * threads writes, each thread's in the order of its inferences, also when the ring is full, when an
 * inference's tensors are too large to copy, around a model load, and at exit.
 */
class DeferredSummariesTest {
    @TempDir Path tmp;
    Recorders recorders;
    Map<String, AgentCounters> counters;

    @BeforeEach
    void setUp() {
        recorders = new Recorders(tmp);
        counters = recorders.counters;
    }

    /** Inputs are float arrays (the input tensor); results the logits, as a direct view. */
    static final RuntimeAdapter RUNTIME =
            new RuntimeAdapter() {
                @Override
                public String runtimeName() {
                    return "fake";
                }

                @Override
                public void summarizeInference(
                        Object t, Object in, Object out, InferenceRecord rec, Summaries s) {
                    float[] x = (float[]) in;
                    s.input(
                            rec,
                            "input",
                            DType.FLOAT32,
                            new long[] {1, x.length},
                            FloatBuffer.wrap(x));
                    float[] y = (float[]) out;
                    ByteBuffer view =
                            ByteBuffer.allocateDirect(y.length * 4).order(ByteOrder.nativeOrder());
                    view.asFloatBuffer().put(y);
                    s.output(rec, "logits", DType.FLOAT32, new long[] {1, y.length}, view);
                }

                @Override
                public ModelIdentity describeModelLoad(
                        Object m, Object s, Object o, ModelLoadRecord r) {
                    r.modelId = (String) m;
                    return new ModelIdentity((String) m, 7);
                }

                @Override
                public ModelIdentity identifyUnknownModel(Object target) {
                    return new ModelIdentity(String.valueOf(target), 0);
                }
            };

    @AfterEach
    void tearDown() {
        recorders.close();
    }

    InferenceRecorder recorder(String name, String args) throws Exception {
        return recorder(name, args, null);
    }

    InferenceRecorder recorder(String name, String args, ControlRules rules) throws Exception {
        return recorder(name, args, rules, RUNTIME);
    }

    InferenceRecorder recorder(String name, String args, ControlRules rules, RuntimeAdapter runtime)
            throws Exception {
        return recorders.open(name, args, rules, runtime, 1 << 20);
    }

    /**
     * {@code n} inferences by client {@code client}: digits with a {@code size}-element input every
     * {@code everyLarge}-th, 784 otherwise; one model load after the {@code loadAt}-th.
     */
    static void serve(InferenceRecorder rec, String client, int n, int everyLarge, int loadAt) {
        Random rnd = new Random(client.hashCode());
        for (int i = 0; i < n; i++) {
            float[] x = new float[i % everyLarge == everyLarge - 1 ? 20_000 : 784];
            for (int j = 0; j < x.length; j++) {
                x[j] = rnd.nextFloat() < 0.6f ? 0 : rnd.nextFloat();
            }
            float[] y = new float[10];
            for (int j = 0; j < y.length; j++) {
                y[j] = (float) rnd.nextGaussian() * 4;
            }
            rec.enterRequest(0, client);
            long token = rec.enterInference(0);
            rec.exitInference(0, token, "mnist", x, y, null);
            rec.exitRequest(0);
            if (i == loadAt) {
                long t = rec.enterModelLoad(0);
                rec.exitModelLoad(0, t, "mnist-v" + i, null, null, null);
            }
        }
    }

    /**
     * {@code n} inferences by {@code client} of two models: every {@code everyLarge}-th of {@code
     * embedder} with 4,096 input elements (above {@code deferAboveElements}' default), the others
     * of {@code digits} with 784.
     */
    static void serveTwoModels(InferenceRecorder rec, String client, int n, int everyLarge) {
        Random rnd = new Random(client.hashCode());
        for (int i = 0; i < n; i++) {
            boolean large = i % everyLarge == everyLarge - 1;
            float[] x = new float[large ? 4096 : 784];
            for (int j = 0; j < x.length; j++) {
                x[j] = rnd.nextFloat();
            }
            float[] y = new float[10];
            for (int j = 0; j < y.length; j++) {
                y[j] = (float) rnd.nextGaussian() * 4;
            }
            rec.enterRequest(0, client);
            long token = rec.enterInference(0);
            rec.exitInference(0, token, large ? "embedder" : "digits", x, y, null);
            rec.exitRequest(0);
        }
    }

    /** Two serving threads, the second a different client; then the recorder's exit flush. */
    static void serveTwo(InferenceRecorder rec, int n, int everyLarge, int loadAt)
            throws Exception {
        Thread other = new Thread(() -> serve(rec, "bob", n, everyLarge, -1));
        other.start();
        serve(rec, "alice", n, everyLarge, loadAt);
        other.join();
        rec.flushAtExit();
    }

    /** Each client's records in queue order, as written but for the clock; load records by id. */
    static Map<String, List<String>> byClient(Path queue) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Object o : QueueContents.read(queue)) {
            if (o instanceof InferenceRecord) {
                InferenceRecord r = (InferenceRecord) o;
                out.computeIfAbsent(r.clientId, k -> new ArrayList<>())
                        .add(QueueContents.bytesButClock(r));
            } else if (o instanceof ModelLoadRecord) {
                // a load's place among the loading thread's (alice's) inferences
                out.computeIfAbsent("alice", k -> new ArrayList<>())
                        .add("load " + ((ModelLoadRecord) o).modelId);
            }
        }
        return out;
    }

    /** Returns the deferred recorder's counters. */
    AgentCounters compare(String args, int n, int everyLarge, int loadAt) throws Exception {
        serveTwo(recorder("inline", ",deferSummaries=false"), n, everyLarge, loadAt);
        InferenceRecorder deferred = recorder("deferred", ",deferSummaries=true" + args);
        serveTwo(deferred, n, everyLarge, loadAt);
        Map<String, List<String>> expected = byClient(tmp.resolve("inline"));
        assertThat(expected.get("alice")).hasSize(n + (loadAt >= 0 ? 1 : 0));
        assertThat(expected.get("bob")).hasSize(n);
        assertThat(byClient(tmp.resolve("deferred"))).isEqualTo(expected);
        assertThat(counters.get("inline").capturesDeferred.sum()).isZero();
        AgentCounters c = counters.get("deferred");
        assertThat(c.inferencesRecorded.sum()).isEqualTo(2L * n);
        assertThat(c.recordsDropped.sum()).isZero();
        assertThat(c.internalErrors.sum()).isZero();
        return c;
    }

    @Test
    void theSummaryThreadWritesTheRecordsTheServingThreadsWould() throws Exception {
        AgentCounters c = compare("", 2000, Integer.MAX_VALUE, 700);
        // each thread's first capture at least (later ones too when the summary thread keeps up;
        // those it does not are summarised by their thread: the arena is full)
        assertThat(c.capturesDeferred.sum()).isBetween(2L, 4000L);
    }

    @Test
    void byDefaultOnlyModelsWithLargeCapturesAreDeferredAndEachThreadKeepsItsOrder()
            throws Exception {
        int n = 1000;
        for (String name : List.of("inline", "auto")) {
            InferenceRecorder rec =
                    recorder(name, name.equals("inline") ? ",deferSummaries=false" : "");
            Thread other = new Thread(() -> serveTwoModels(rec, "bob", n, 3));
            other.start();
            serveTwoModels(rec, "alice", n, 5);
            other.join();
            rec.flushAtExit();
        }
        Map<String, List<String>> expected = byClient(tmp.resolve("inline"));
        assertThat(expected.get("alice")).hasSize(n);
        assertThat(byClient(tmp.resolve("auto"))).isEqualTo(expected);
        AgentCounters c = counters.get("auto");
        assertThat(c.inferencesRecorded.sum()).isEqualTo(2L * n);
        assertThat(c.recordsDropped.sum() + c.internalErrors.sum()).isZero();
        // the embedder's inferences after each thread's first, and the digits that come while
        // one of them still waits (they follow it there, so as not to overtake it)
        assertThat(c.capturesDeferred.sum()).isBetween(1L, 2L * n);

        InferenceRecorder digitsOnly = recorder("digits", ",deferOnSpareCore=false");
        serveTwoModels(digitsOnly, "carol", 500, Integer.MAX_VALUE);
        digitsOnly.flushAtExit();
        assertThat(byClient(tmp.resolve("digits")).get("carol")).hasSize(500);
        assertThat(counters.get("digits").capturesDeferred.sum())
                .as("784 + 10 elements: below deferAboveElements, and never on a spare core")
                .isZero();
    }

    @Test
    void aFullRingMakesItsThreadWriteItsOwnRecordsFirst() throws Exception {
        AgentCounters c = compare(",captureSlots=1", 500, Integer.MAX_VALUE, 100);
        assertThat(c.capturesDeferred.sum()).isBetween(2L, 1000L);
        assertThat(c.recordsWrittenInline.sum()).isPositive();
    }

    /**
     * A summary thread stopped in the middle of a capture (its core taken by another thread) holds
     * the ring's lock. A serving thread that fills its ring and its arena then must neither wait
     * for that lock nor write records itself while they can still grow: they grow, and every
     * capture is written once the summary thread goes on, in order.
     */
    @Test
    void aServingThreadWhoseRingFillsBehindAHeldUpSummaryThreadGrowsItRatherThanWaiting()
            throws Exception {
        int first = 10;
        int more = 600; // past 64, 128, 256 and 512 slots
        InferenceRecorder inline = recorder("inline", ",deferSummaries=false");
        serve(inline, "alice", first, Integer.MAX_VALUE, -1);
        serve(inline, "alice", more, Integer.MAX_VALUE, -1);
        inline.flushAtExit();

        InferenceRecorder rec = recorder("held", ",deferSummaries=true");
        CountDownLatch served = new CountDownLatch(1);
        CountDownLatch held = new CountDownLatch(1);
        Thread server =
                new Thread(
                        () -> {
                            serve(rec, "alice", first, Integer.MAX_VALUE, -1);
                            served.countDown();
                            try {
                                held.await();
                            } catch (InterruptedException e) {
                                return;
                            }
                            serve(rec, "alice", more, Integer.MAX_VALUE, -1);
                        },
                        "server-h");
        server.start();
        served.await();
        CaptureRing ring = ringOf(rec, server);
        CountDownLatch release = new CountDownLatch(1);
        Thread summaryHeldUp =
                new Thread(
                        () -> {
                            synchronized (ring) { // as the summary thread holds it, per capture
                                held.countDown();
                                try {
                                    release.await();
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                }
                            }
                        });
        summaryHeldUp.start();
        server.join(60_000);
        boolean finished = !server.isAlive();
        Thread.State stuck = server.getState();
        release.countDown();
        summaryHeldUp.join();
        server.join();
        assertThat(finished).as("served all while the lock was held (else %s)", stuck).isTrue();
        assertThat(ring.capacity()).isEqualTo(1024);
        assertThat(ring.arena.capacity()).as("610 digits of 3 KB").isGreaterThan(1 << 20);
        rec.flushAtExit();
        AgentCounters c = counters.get("held");
        assertThat(c.recordsWrittenInline.sum()).isZero();
        assertThat(c.recordsDropped.sum() + c.internalErrors.sum()).isZero();
        assertThat(c.capturesDeferred.sum()).isGreaterThanOrEqualTo(more);
        assertThat(byClient(tmp.resolve("held"))).isEqualTo(byClient(tmp.resolve("inline")));
    }

    /**
     * At a low rate of captures (one every 5 ms or more, a sentence embedding's), the summary
     * thread makes about one round per longest pause (50 ms), not four or five per capture as with
     * a short fixed pause after every round that found one, and still writes every record.
     */
    @Test
    void atALowRateOfCapturesTheSummaryThreadWakesAboutOncePerLongestPause() throws Exception {
        InferenceRecorder rec = recorder("slow", ",deferSummaries=true");
        serve(rec, "alice", 10, Integer.MAX_VALUE, -1); // past the first, inline captures
        Field f = InferenceRecorder.class.getDeclaredField("summaryThread");
        f.setAccessible(true);
        SummaryThread summaries = (SummaryThread) f.get(rec);
        int captures = 100;
        long roundsBefore = summaries.rounds();
        long start = System.nanoTime();
        for (int i = 0; i < captures; i++) {
            serve(rec, "alice", 1, Integer.MAX_VALUE, -1);
            Thread.sleep(5);
        }
        long rounds = summaries.rounds() - roundsBefore;
        long periods = (System.nanoTime() - start) / SummaryThread.BUSY_MAX_PAUSE_NANOS; // >= 10
        rec.flushAtExit();
        AgentCounters c = counters.get("slow");
        assertThat(c.capturesDeferred.sum()).isGreaterThanOrEqualTo(captures);
        assertThat(c.recordsWrittenInline.sum()).isZero();
        assertThat(byClient(tmp.resolve("slow")).get("alice")).hasSize(10 + captures);
        // a 100 us pause after each round with a capture, then 1, 2, 4 ms: 4 or more per capture
        assertThat(rounds)
                .as("rounds over %d periods of 50 ms, for %d captures", periods, captures)
                .isPositive()
                .isLessThanOrEqualTo(2 * periods + 10)
                .isLessThan(captures / 2L);
    }

    @Test
    void tensorsTooLargeToCopyAreSummarisedInPlaceInOrder() throws Exception {
        // 20,000 floats are 80 KB, beyond a 64 KB copy
        AgentCounters c = compare(",stageKb=64", 300, 7, 150);
        assertThat(c.capturesDeferred.sum()).isBetween(2L, 2L * (300 - 300 / 7));
    }

    @Test
    void afterTheExitFlushInferencesAreStillRecorded() throws Exception {
        InferenceRecorder rec = recorder("after", ",deferSummaries=true");
        serve(rec, "alice", 50, Integer.MAX_VALUE, -1);
        rec.flushAtExit();
        serve(rec, "carol", 50, Integer.MAX_VALUE, -1);
        Map<String, List<String>> records = byClient(tmp.resolve("after"));
        assertThat(records.get("alice")).hasSize(50);
        assertThat(records.get("carol")).hasSize(50);
        assertThat(counters.get("after").capturesDeferred.sum()).isBetween(1L, 50L);
    }

    /**
     * The exit flush can stop the summary thread while a serving thread is copying an inference's
     * tensors into a slot it claimed from the running thread: the flush's last round cannot see the
     * slot, not yet published, so the serving thread writes it itself once it sees the stop.
     * Without that, the record would wait in the ring forever.
     */
    @Test
    void aCaptureStagedWhileTheExitFlushStopsTheSummaryThreadIsStillWritten() throws Exception {
        AtomicBoolean flushNow = new AtomicBoolean();
        InferenceRecorder[] recorder = new InferenceRecorder[1];
        AtomicBoolean flushed = new AtomicBoolean();
        RuntimeAdapter exitDuringStaging =
                new RuntimeAdapter() {
                    @Override
                    public String runtimeName() {
                        return RUNTIME.runtimeName();
                    }

                    @Override
                    public void summarizeInference(
                            Object t, Object in, Object out, InferenceRecord rec, Summaries s)
                            throws Throwable {
                        if (flushNow.getAndSet(false)) {
                            // the JVM's exit hook, on its own thread, in the middle of the copy
                            Thread exit = new Thread(recorder[0]::flushAtExit);
                            exit.start();
                            try {
                                exit.join(30_000);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            flushed.set(!exit.isAlive());
                        }
                        RUNTIME.summarizeInference(t, in, out, rec, s);
                    }

                    @Override
                    public ModelIdentity describeModelLoad(
                            Object m, Object s, Object o, ModelLoadRecord r) throws Throwable {
                        return RUNTIME.describeModelLoad(m, s, o, r);
                    }

                    @Override
                    public ModelIdentity identifyUnknownModel(Object target) {
                        return RUNTIME.identifyUnknownModel(target);
                    }
                };
        recorder[0] = recorder("staging", ",deferSummaries=true", null, exitDuringStaging);
        serve(recorder[0], "alice", 20, Integer.MAX_VALUE, -1);
        flushNow.set(true);
        serve(recorder[0], "alice", 1, Integer.MAX_VALUE, -1);
        assertThat(flushed).as("the exit flush ran, and ended, during the staging").isTrue();
        assertThat(flushNow).isFalse();
        AgentCounters c = counters.get("staging");
        assertThat(c.capturesDeferred.sum()).as("the last capture was deferred").isPositive();
        assertThat(byClient(tmp.resolve("staging")).get("alice")).hasSize(21);
        assertThat(c.inferencesRecorded.sum()).isEqualTo(21);
    }

    @Test
    void aRefusedInferenceIsWrittenAfterItsThreadsWaitingCaptures() throws Exception {
        ControlRules rules = new ControlRules();
        ControlRecord block = new ControlRecord();
        block.action = ControlRecord.Action.BLOCK;
        block.clientId = "mallory";
        block.expiresAtMillis = System.currentTimeMillis() + 600_000;
        rules.apply(block, System.currentTimeMillis(), System.nanoTime());
        InferenceRecorder rec = recorder("refused", ",deferSummaries=true,enforce=true", rules);
        CountDownLatch registered = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        AtomicBoolean refused = new AtomicBoolean();
        Thread server =
                new Thread(
                        () -> {
                            serve(rec, "alice", 1, Integer.MAX_VALUE, -1); // makes its ring
                            registered.countDown();
                            try {
                                go.await();
                            } catch (InterruptedException e) {
                                return;
                            }
                            serve(rec, "alice", 1, Integer.MAX_VALUE, -1);
                            rec.enterRequest(0, "mallory");
                            try {
                                rec.checkAllowed(0, "mnist");
                            } catch (ClientBlockedException e) {
                                refused.set(true);
                            }
                            rec.exitRequest(0);
                        });
        server.start();
        registered.await();
        CaptureRing ring = ringOf(rec, server);
        // while this test holds the ring, nobody else can write the thread's captures: the
        // refusal must wait for them (or the thread ends, having written it before them)
        synchronized (ring) {
            go.countDown();
            while (server.isAlive() && server.getState() != Thread.State.BLOCKED) {
                Thread.sleep(1);
            }
        }
        server.join();
        rec.flushAtExit();
        assertThat(refused).isTrue();
        List<String> order = new ArrayList<>();
        for (Object o : QueueContents.read(tmp.resolve("refused"))) {
            InferenceRecord r = (InferenceRecord) o;
            order.add(r.clientId + " " + r.outcome);
        }
        assertThat(order).containsExactly("alice OK", "alice OK", "mallory BLOCKED");
    }

    @Test
    void capturesOfEndedThreadsStayCountedOnceTheirRingsAreForgotten() throws Exception {
        AgentCounters c = new AgentCounters();
        SummaryThread summaries = new SummaryThread(null, c, null, 4); // never started
        Thread ended = new Thread(() -> {});
        ended.start();
        ended.join();
        CaptureRing gone = summaries.register(new CaptureRing(8, 1 << 16, ended));
        CaptureRing live = summaries.register(new CaptureRing(8, 1 << 16, Thread.currentThread()));
        for (int i = 0; i < 3; i++) {
            gone.claim();
            gone.publish();
        }
        live.claim();
        live.publish();
        assertThat(c.capturesDeferred.sum()).isEqualTo(4);
        summaries.forgetEndedThreads();
        assertThat(c.capturesDeferred.sum()).as("the ended thread's ring still waits").isEqualTo(4);
        for (int i = 0; i < 3; i++) {
            gone.release(gone.peek());
        }
        summaries.forgetEndedThreads();
        summaries.forgetEndedThreads(); // a second look finds nothing more to forget
        assertThat(c.capturesDeferred.sum()).as("counted once, after its ring went").isEqualTo(4);
        live.claim();
        live.publish();
        assertThat(c.capturesDeferred.sum()).isEqualTo(5);
    }

    @Test
    void aBusySummaryThreadStillForgetsTheRingsOfEndedThreads() {
        // a saturated summary thread, or a new thread per request under steady load: no round
        // finds nothing, yet the rings of the threads that ended must go
        int forgets = 0;
        for (long round = 1; round <= 100_000; round++) {
            if (SummaryThread.forgetsEndedThreads(1, round)) {
                forgets++;
            }
        }
        assertThat(forgets).isBetween(10, 1000);
        assertThat(SummaryThread.forgetsEndedThreads(0, 7)).as("an idle round").isTrue();
    }

    /** A recorder with {@code asyncWrite=true}, its queue opened in the background. */
    static final class AsyncRecorder {
        InferenceRecorder recorder;
        QueueWriter writer;
        AgentCounters counters;
        long deadline; // 30 s after the start, for the test's waits
    }

    AsyncRecorder asyncRecorder(String name, String args) throws Exception {
        AsyncRecorder a = new AsyncRecorder();
        a.recorder = recorders.open(name, ",asyncWrite=true" + args, null, RUNTIME, 1 << 20);
        a.writer = recorders.writers.get(name);
        a.counters = counters.get(name);
        a.deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        return a;
    }

    @Test
    void withAsyncWritesTooAThreadsRecordsKeepTheirOrder() throws Exception {
        AsyncRecorder a = asyncRecorder("async", ",deferSummaries=true");
        AgentCounters c = a.counters;
        QueueWriter writer = a.writer;
        InferenceRecorder rec = a.recorder;
        long deadline = a.deadline;
        serve(rec, "alice", 1, Integer.MAX_VALUE, -1);
        // the writer ring of the summary thread, if it hands its records to the queue's writer
        // thread: once that has written the first record, this test holds it (so it writes none)
        Object summaryRing = null;
        while (System.nanoTime() < deadline) {
            boolean written = QueueContents.read(tmp.resolve("async")).size() == 1;
            summaryRing = writerRingOf(writer, "mlguard-summaries"); // made before it writes
            if (written && (summaryRing == null || isEmpty(summaryRing))) {
                break;
            }
            Thread.sleep(1);
        }
        synchronized (summaryRing != null ? summaryRing : new Object()) {
            serve(rec, "alice", 1, Integer.MAX_VALUE, -1);
            assertThat(c.capturesDeferred.sum()).isEqualTo(2);
            // the summary thread has written the second (into the queue or into its writer ring)
            while (System.nanoTime() < deadline
                    && (summaryRing == null || isEmpty(summaryRing))
                    && QueueContents.read(tmp.resolve("async")).size() < 2) {
                Thread.sleep(1);
            }
            long t = rec.enterModelLoad(0);
            rec.exitModelLoad(0, t, "mnist-v2", null, null, null);
        }
        rec.flushAtExit();
        writer.flushAtExit();
        List<String> order = new ArrayList<>();
        for (Object o : QueueContents.read(tmp.resolve("async"))) {
            order.add(o instanceof ModelLoadRecord ? "load" : ((InferenceRecord) o).clientId);
        }
        assertThat(order).containsExactly("alice", "alice", "load");
        assertThat(c.recordsDropped.sum()).isZero();
    }

    @Test
    void aSummaryThreadThatCannotStartLeavesTheCapturesToTheServingThreads() throws Exception {
        SummaryThread summaries =
                new SummaryThread(null, new AgentCounters(), null, 4); // nothing is written
        // Thread.start fails as it does when the JVM cannot make another native thread (an
        // OutOfMemoryError): here, with a thread that has run already
        Thread ran = new Thread(() -> {});
        ran.start();
        ran.join();
        Field f = SummaryThread.class.getDeclaredField("thread");
        f.setAccessible(true);
        f.set(summaries, ran);
        try {
            summaries.start();
        } catch (IllegalThreadStateException e) {
            // the failure may reach the caller (exitInference counts it); the state must not lie
        }
        assertThat(summaries.running())
                .as("no thread would ever take the captures handed over")
                .isFalse();
    }

    @Test
    void withAsyncWritesAThreadsFirstDeferredCaptureFollowsItsHandedOverRecords() throws Exception {
        AsyncRecorder a = asyncRecorder("first", ",deferSummaries=auto,deferAboveElements=100");
        AgentCounters c = a.counters;
        QueueWriter writer = a.writer;
        InferenceRecorder rec = a.recorder;
        long deadline = a.deadline;
        CountDownLatch first = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        Thread server =
                new Thread(
                        () -> {
                            // a model's first capture is summarised here and handed to the
                            // queue's writer thread, and so are a thread's first captures
                            // (InferenceRecorder.INLINE_FIRST_CAPTURES)
                            serve(rec, "alice", 3, Integer.MAX_VALUE, -1);
                            first.countDown();
                            try {
                                go.await();
                            } catch (InterruptedException e) {
                                return;
                            }
                            rec.enterRequest(0, "bob");
                            long token = rec.enterInference(0);
                            rec.exitInference(0, token, "tiny", new float[4], new float[2], null);
                            rec.exitRequest(0);
                            // mnist's last capture was large: this one goes to the summary thread
                            serve(rec, "carol", 1, Integer.MAX_VALUE, -1);
                        },
                        "server-s");
        server.start();
        first.await();
        Object ring = null;
        while (System.nanoTime() < deadline) {
            ring = writerRingOf(writer, "server-s");
            if (ring != null
                    && isEmpty(ring)
                    && QueueContents.read(tmp.resolve("first")).size() == 3) {
                break;
            }
            Thread.sleep(1);
        }
        // held: the queue's writer thread cannot write bob's record
        synchronized (ring) {
            go.countDown();
            while (System.nanoTime() < deadline
                    && server.getState() != Thread.State.BLOCKED
                    && QueueContents.read(tmp.resolve("first")).size() < 4) {
                Thread.sleep(1);
            }
        }
        server.join();
        rec.flushAtExit();
        writer.flushAtExit();
        List<String> order = new ArrayList<>();
        for (Object o : QueueContents.read(tmp.resolve("first"))) {
            order.add(((InferenceRecord) o).clientId);
        }
        assertThat(order).containsExactly("alice", "alice", "alice", "bob", "carol");
        assertThat(c.capturesDeferred.sum()).isEqualTo(1);
    }

    /** The queue writer's ring of the thread named {@code thread}, or null. */
    static Object writerRingOf(QueueWriter writer, String thread) throws Exception {
        Object open = field(writer, "queue");
        Object drainer = open == null ? null : field(open, "drainer");
        if (drainer == null) {
            return null;
        }
        for (Object ring : (Object[]) field(drainer, "rings")) {
            if (((Thread) field(ring, "owner")).getName().equals(thread)) {
                return ring;
            }
        }
        return null;
    }

    static boolean isEmpty(Object ring) throws Exception {
        java.lang.reflect.Method m = ring.getClass().getDeclaredMethod("isEmpty");
        m.setAccessible(true);
        return (boolean) m.invoke(ring);
    }

    static Object field(Object o, String name) throws Exception {
        Field f = o.getClass().getDeclaredField(name);
        f.setAccessible(true);
        return f.get(o);
    }

    /** The capture ring of {@code owner}, from the recorder's summary thread. */
    static CaptureRing ringOf(InferenceRecorder rec, Thread owner) throws Exception {
        Field f = InferenceRecorder.class.getDeclaredField("summaryThread");
        f.setAccessible(true);
        SummaryThread t = (SummaryThread) f.get(rec);
        Field r = SummaryThread.class.getDeclaredField("rings");
        r.setAccessible(true);
        for (CaptureRing ring : (CaptureRing[]) r.get(t)) {
            if (ring.owner == owner) {
                return ring;
            }
        }
        throw new AssertionError("no ring of " + owner);
    }

    /** {@link SummaryThread#nextPause} with no bytes known and the default arena limit. */
    private static long nextPause(long pause, long done, int batch, int idleBefore, long since) {
        return SummaryThread.nextPause(pause, done, batch, idleBefore, since, 0, 4 << 20);
    }

    @Test
    void theSummaryThreadPausesLongOnlyOnceIdleForLong() {
        long ms = 1_000_000;
        assertThat(nextPause(SummaryThread.MAX_IDLE_NANOS, 8, 8, 0, ms)).isZero();
        long pause = SummaryThread.BUSY_PAUSE_NANOS;
        int round = 0;
        for (; round < SummaryThread.LONG_IDLE_ROUNDS; round++) {
            pause = nextPause(pause, 0, 8, round, pause);
            assertThat(pause).isBetween(SummaryThread.MIN_IDLE_NANOS, SummaryThread.IDLE_NANOS);
        }
        assertThat(pause).isEqualTo(SummaryThread.IDLE_NANOS);
        for (; round < 2 * SummaryThread.LONG_IDLE_ROUNDS; round++) {
            pause = nextPause(pause, 0, 8, round, pause);
        }
        assertThat(pause).isEqualTo(SummaryThread.MAX_IDLE_NANOS);
        // the first empty round after a long pause that found captures: back to 10 ms at most
        assertThat(nextPause(SummaryThread.BUSY_MAX_PAUSE_NANOS, 0, 8, 0, ms))
                .isEqualTo(SummaryThread.IDLE_NANOS);
    }

    /**
     * Captures found after an empty round came at a rate the round cannot tell (they began some
     * time during the pause): the summary thread waits no longer than an empty round would, and
     * paces itself by the round after, whose whole time saw captures.
     */
    @Test
    void afterAnIdleSpellTheFirstCapturesAreFollowedByNoMoreThanAnIdlePause() {
        long ms = 1_000_000;
        long us = 1_000;
        // three captures in the 10 ms since the last round, which found none: MNIST inferences
        // that began 40 us ago, or three embeddings in 10 ms; either way, 10 ms at most
        assertThat(nextPause(SummaryThread.IDLE_NANOS, 3, 32, 1, 10 * ms))
                .isEqualTo(SummaryThread.IDLE_NANOS);
        assertThat(nextPause(SummaryThread.MAX_IDLE_NANOS, 1, 32, 500, 100 * ms))
                .isEqualTo(SummaryThread.IDLE_NANOS);
        // a rate seen to be fast is taken as it is: 3 in 30 us, 16 in 160 us
        assertThat(nextPause(SummaryThread.MIN_IDLE_NANOS, 3, 32, 1, 30 * us)).isEqualTo(160 * us);
        // the same three in 10 ms after a round that found some: 16 take 53 ms, so twice the last
        assertThat(nextPause(SummaryThread.IDLE_NANOS, 3, 32, 0, 10 * ms)).isEqualTo(20 * ms);
        // a batch found is a batch found, whatever came before
        assertThat(nextPause(SummaryThread.IDLE_NANOS, 32, 32, 1, 10 * ms)).isZero();
    }

    @Test
    void afterCapturesTheSummaryThreadWaitsAsLongAsHalfABatchTakesToCome() {
        long us = 1_000;
        // a capture every 10 us: half a batch of 32 in 160 us
        assertThat(nextPause(100 * us, 20, 32, 0, 200 * us)).isEqualTo(160 * us);
        // faster than that: the shortest pause, not less
        assertThat(nextPause(0, 31, 32, 0, 31 * us)).isEqualTo(SummaryThread.BUSY_PAUSE_NANOS);
        // one sentence embedding every 2 ms: half a batch in 32 ms
        assertThat(nextPause(20_000 * us, 5, 32, 0, 10_000 * us)).isEqualTo(32_000 * us);
        // one every 5 ms: at most the longest pause a record waits
        assertThat(nextPause(SummaryThread.BUSY_MAX_PAUSE_NANOS, 1, 32, 0, 5_000 * us))
                .isEqualTo(SummaryThread.BUSY_MAX_PAUSE_NANOS);
        // whatever the interval, never past it (a long garbage collection, a clock step)
        assertThat(nextPause(SummaryThread.BUSY_MAX_PAUSE_NANOS, 1, 1024, 0, Long.MAX_VALUE))
                .isEqualTo(SummaryThread.BUSY_MAX_PAUSE_NANOS);
        assertThat(nextPause(0, 1, 32, 0, -5)).isEqualTo(SummaryThread.BUSY_PAUSE_NANOS);
        // half a ring or more found: again at once
        assertThat(nextPause(SummaryThread.IDLE_NANOS, 32, 32, 0, 10_000 * us)).isZero();
    }

    /**
     * One round's rate can be wrong (the thread stalled, and saw few captures over a long time):
     * the pause grows at most twofold per round, so that after short pauses a fast stream of
     * captures is not left to fill the ring, and a rate that stays low reaches the longest pause in
     * a few rounds.
     */
    @Test
    void pausesLengthenAtMostTwofoldFromOneRoundToTheNext() {
        long us = 1_000;
        // after pauses of 200 us, one capture in 10 ms: 400 us, not 50 ms
        assertThat(nextPause(200 * us, 1, 32, 0, 10_000 * us)).isEqualTo(400 * us);
        // after a batch (no pause), the shortest pause at most
        assertThat(nextPause(0, 1, 32, 0, 10_000 * us)).isEqualTo(SummaryThread.BUSY_PAUSE_NANOS);
        // one sentence embedding every 5 ms, from the 10 ms after an idle spell: 20, 40, 50 ms
        long pause = SummaryThread.IDLE_NANOS;
        long[] expected = {20_000 * us, 40_000 * us, SummaryThread.BUSY_MAX_PAUSE_NANOS};
        for (long e : expected) {
            long since = pause + 100 * us;
            pause = nextPause(pause, since / (5_000 * us), 32, 0, since);
            assertThat(pause).isEqualTo(e);
        }
        // shorter again at once when the rate rises
        assertThat(nextPause(pause, 20, 32, 0, pause)).isEqualTo(pause / 20 * 16);
    }

    @Test
    void largeCapturesShortenThePauseSoThatTheyFillAQuarterOfTheArenaAtMost() {
        long us = 1_000;
        int limit = 4 << 20;
        // 27 KB sentence embeddings every 2 ms: 16 fit in a quarter of 4 MB, so half a batch
        long last = 40_000 * us; // the last pause: twice it does not bound these
        assertThat(SummaryThread.nextPause(last, 5, 32, 0, 10_000 * us, 5 * 27_000, limit))
                .isEqualTo(32_000 * us);
        // 600 KB images every 2 ms: one quarter of the arena holds one, so a pause of one capture
        assertThat(SummaryThread.nextPause(last, 5, 32, 0, 10_000 * us, 5 * 600_000, limit))
                .isEqualTo(2_000 * us);
        // 300 KB every 10 ms: three in a quarter of it, 30 ms
        assertThat(SummaryThread.nextPause(last, 1, 32, 0, 10_000 * us, 300_000, limit))
                .isEqualTo(30_000 * us);
        // larger than the quarter itself: still the time of one capture, not none
        assertThat(SummaryThread.nextPause(last, 1, 32, 0, 10_000 * us, 2 * limit, limit))
                .isEqualTo(10_000 * us);
        // a ring dropped during the round (bytes not known): half a batch, as without
        assertThat(SummaryThread.nextPause(last, 5, 32, 0, 10_000 * us, -1, limit))
                .isEqualTo(32_000 * us);
    }

    @Test
    void beforeTheQueueOpensCapturesAreSummarisedOnTheirThreadAndKeptInOrder() throws Exception {
        AgentConfig config =
                AgentConfig.load(
                        "queue="
                                + tmp.resolve("late")
                                + ",statsIntervalSeconds=0,deferSummaries=true",
                        Map.of());
        AgentCounters c = new AgentCounters();
        QueueWriter writer = QueueWriter.create(config.queueDir, c, 1 << 20);
        recorders.track(writer);
        InferenceRecorder rec =
                new InferenceRecorder(
                        config,
                        writer,
                        c,
                        new RuntimeAdapter[] {RUNTIME},
                        new RequestAdapter[] {EnforcementTest.REQUESTS},
                        null);
        serve(rec, "alice", 20, Integer.MAX_VALUE, -1);
        assertThat(c.capturesDeferred.sum()).as("not before the queue is open").isZero();
        writer.openInBackground(getClass().getClassLoader());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!writer.isOpen() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        serve(rec, "bob", 20, Integer.MAX_VALUE, -1);
        // the first at least (its thread's arena is empty); most, unless the summary thread lags
        assertThat(c.capturesDeferred.sum()).isBetween(1L, 20L);
        rec.flushAtExit();
        Map<String, List<String>> records = byClient(tmp.resolve("late"));
        assertThat(records.get("alice")).hasSize(20);
        assertThat(records.get("bob")).hasSize(20);
        assertThat(records.keySet()).as("in the order served").containsExactly("alice", "bob");
    }
}
