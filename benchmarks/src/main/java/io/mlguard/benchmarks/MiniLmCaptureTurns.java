package io.mlguard.benchmarks;

import io.mlguard.protocol.ControlRecord;
import java.util.concurrent.TimeUnit;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * {@link MiniLmEmbedding}, langchain4j's in-process all-MiniLM-L6-v2 sentence embedding, in one JVM
 * with the agent, its capture switched on and off every measured iteration through the agent's own
 * control queue: even iterations (counted from the first warm-up iteration) record every inference,
 * odd ones one in {@link ControlRecord#MAX_RECORD_EVERY} (a sampling command for every client, as
 * {@code mlguard control sample} writes). One ONNX Runtime session serves both, so they share its
 * thread pool, native memory and the machine's state of the moment; two copies of the runtime, as
 * {@link WithAndWithoutAgent} makes for MNIST, differed by -4 to +6 % per fork with the agent
 * switched off, more than the 0.5 % to be measured.
 *
 * <p>What the turns compare is everything the agent does after the sampling decision: the copy of
 * the tensors, the summary thread's work and the queue write. ONNX Runtime runs this embedding on
 * the calling thread and one intra-op thread of its own, both on CPU the whole time (its threads
 * spin between tasks), so the summary thread's time is taken from them ({@code
 * benchmarks/thread-cpu.sh} shows how long they wait for a core). The hooks themselves run in both
 * turns; what they cost without a capture is bounded by the MNIST comparison, where the whole agent
 * adds about 1.5 us. {@link AgentOverhead} pairs neighbouring iterations as for {@link
 * WithAndWithoutAgent}, and {@code AgentCaptureInSitu} reports from the agent's stats records the
 * share of inferences the sampling left out, which shows the turns took effect (about half).
 *
 * <p>Every warm-up iteration records every inference, and the warm-up is long (a minute): the
 * agent's code after the sampling decision runs once per embedding, some 200 times a second here
 * against tens of thousands for an MNIST digit, so C2 compiles it only after 30-50 s of captures
 * ({@code -XX:+PrintCompilation}: the agent's and Chronicle's methods reach tier 4 until 42 s into
 * a run that captures every embedding). Before that its code runs in C1's profiling tier, and C2
 * compiling it takes CPU from ONNX Runtime's threads: in {@code benchmarks/thread-cpu.sh} the
 * compiler thread used 150-210 us per embedding 20-50 s into a run with the agent against 70-130 us
 * without, and 3-5 us in both after 90 s. A server that runs for hours pays that once; the
 * iterations measured here are those after it.
 *
 * <p>Turns of a quarter of a second: this machine's embedding time moves by up to 40 % from one
 * second to the next (4.4 to 6.6 ms), so shorter turns and more of them give neighbouring pairs
 * that agree better, and many of them (597 pairs in 3 forks against 87 with turns of a second).
 */
@Warmup(iterations = 240, time = 250, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 200, time = 250, timeUnit = TimeUnit.MILLISECONDS)
@Fork(
        value = 3,
        jvmArgsAppend = {
            "-Xms1g",
            "-Xmx1g",
            "-Dai.djl.offline=true",
            BenchAgent.JAVAAGENT + ",enforce=true,controlQueue=" + MiniLmCaptureTurns.CONTROL
        })
public class MiniLmCaptureTurns extends MiniLmEmbedding {
    /** The control queue, beside the agent's queue (run-jmh.sh starts each run without either). */
    static final String CONTROL = "target/bench-agent/control";

    /**
     * How long an iteration's setup waits for the agent to apply its command: its control thread
     * looks for new commands every 20 ms.
     */
    static final long APPLY_MILLIS = 200;

    /**
     * The control queue, written as the collector's {@code ControlQueueWriter} does (the collector
     * is not bundled into benchmarks.jar).
     */
    private ChronicleQueue control;

    private ExcerptAppender appender;
    private int iteration;

    /** What the last command sent asked for: every inference (true), or the sampled-out turn. */
    private Boolean capturingNow;

    /**
     * What the odd iterations record: one inference in {@link ControlRecord#MAX_RECORD_EVERY}, or
     * one in {@code -Dmlguard.bench.sampledOutEvery} (through {@code -jvmArgsPrepend}); {@code 1}
     * makes both turns capture every inference, the control that shows the method's own error.
     */
    private final int sampledOutEvery =
            Integer.getInteger("mlguard.bench.sampledOutEvery", ControlRecord.MAX_RECORD_EVERY);

    /** Opens the control queue; the model is {@link MiniLmEmbedding}'s. */
    @Setup(Level.Trial)
    public void openControl() {
        control = ChronicleQueue.singleBuilder(CONTROL).build();
        appender = control.createAppender();
    }

    /**
     * Records every inference in warm-up iterations and in even measured ones, nearly none in odd
     * ones; sends a command (and waits for it to apply) only when that changes.
     */
    @Setup(Level.Iteration)
    public void takeTurns(IterationParams params) throws InterruptedException {
        boolean capturing =
                params.getType() == IterationType.WARMUP
                        || WithAndWithoutAgent.instrumented(iteration);
        iteration++;
        if (capturingNow != null && capturingNow == capturing) {
            return;
        }
        capturingNow = capturing;
        long now = System.currentTimeMillis();
        ControlRecord c = new ControlRecord();
        c.action = ControlRecord.Action.SAMPLE;
        c.clientId = ControlRecord.EVERY_CLIENT;
        c.recordEvery = capturing ? 1 : sampledOutEvery;
        c.timestampMillis = now;
        c.expiresAtMillis = now + TimeUnit.MINUTES.toMillis(10);
        c.issuedBy = "benchmark";
        c.reason = capturing ? "the capturing turn" : "the sampled-out turn";
        try (DocumentContext dc = appender.writingDocument()) {
            c.writeTo(dc.wire().bytes());
        }
        Thread.sleep(APPLY_MILLIS);
    }

    @TearDown(Level.Trial)
    public void closeControl() {
        appender.close();
        control.close();
    }
}
