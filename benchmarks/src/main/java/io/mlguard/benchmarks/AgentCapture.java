package io.mlguard.benchmarks;

import io.mlguard.bootstrap.Dispatcher;
import io.mlguard.core.AgentCounters;
import io.mlguard.core.InferenceRecorder;
import io.mlguard.core.ModelIdentity;
import io.mlguard.core.RequestAdapter;
import io.mlguard.core.RuntimeAdapter;
import io.mlguard.core.config.AgentConfig;
import io.mlguard.core.queue.QueueWriter;
import io.mlguard.core.summary.Fingerprinter;
import io.mlguard.core.summary.StageArena;
import io.mlguard.core.summary.StagedTensors;
import io.mlguard.core.summary.Summaries;
import io.mlguard.core.summary.TensorSummarizer;
import io.mlguard.protocol.ClientIdSource;
import io.mlguard.protocol.DType;
import io.mlguard.protocol.InferenceRecord;
import io.mlguard.protocol.ModelLoadRecord;
import io.mlguard.protocol.TensorSummary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Where the agent's time per inference goes, without ONNX Runtime: the work {@code
 * InferenceRecorder} does after an MNIST inference, taken apart. The tensors are the ones ONNX
 * Runtime hands over for the MNIST MLP: a direct {@code FloatBuffer} of 784 pixels (the input's own
 * copy), a little-endian {@code ByteBuffer} of 10 class scores and one of an int64 label (what
 * {@code getBuffer()} returns for outputs). Each benchmark runs one part on the inference thread,
 * {@link #capture} all of them; run with {@code -prof gc} for the allocation of each part.
 *
 * <p>{@code benchmarks/run-jmh.sh} runs it with {@code BENCH=AgentCapture}. The queue is written
 * under {@code java.io.tmpdir} and deleted after each fork.
 *
 * <p>{@code -p asyncWrite=false,true} compares the agent's two ways of writing the queue: on the
 * benchmark thread (the default), or handed to the writer thread. {@link #capture} calls back to
 * back measure a server saturated with captures; {@link #captureAfterInference} paces them with
 * {@link #inference}'s CPU work, as a real inference does, leaving the writer thread time to write.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(
        value = 1,
        jvmArgsAppend = {
            "-Xms1g",
            "-Xmx1g",
            "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
            "--add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "-Dchronicle.analytics.disable=true",
            "-Dchronicle.announcer.disable=true"
        })
public class AgentCapture {
    private static final long[] INPUT_SHAPE = MnistTensors.INPUT_SHAPE;
    private static final long[] SCORES_SHAPE = MnistTensors.SCORES_SHAPE;
    private static final long[] LABEL_SHAPE = MnistTensors.LABEL_SHAPE;

    /** The sentence of {@link MiniLmEmbedding}, as all-MiniLM-L6-v2's tokenizer splits it. */
    private static final int TOKENS = 18;

    private static final long[] TOKEN_SHAPE = {1, TOKENS};
    private static final long[] HIDDEN_SHAPE = {1, TOKENS, 384};

    private final InferenceRecord record = new InferenceRecord();
    private final InferenceRecord embedding = new InferenceRecord();
    private ByteBuffer tokenIds;
    private ByteBuffer tokenMask;
    private ByteBuffer tokenTypes;
    private ByteBuffer hidden;
    private Summaries summaries;
    private final TensorSummarizer statistics = new TensorSummarizer(65536, 5);
    private final Fingerprinter fingerprinter = new Fingerprinter();
    private final TensorSummary inputSummary = new TensorSummary();
    private FloatBuffer input;
    private ByteBuffer scores;
    private ByteBuffer label;
    private Path dir;
    private QueueWriter writer;

    /** Whether records are handed to the agent's writer thread (asyncWrite; off by default). */
    @Param({"false"})
    public boolean asyncWrite;

    /** CPU work standing in for an inference: some 15 us here, the MNIST MLP's time in ORT. */
    static final long INFERENCE_TOKENS = 6000;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        summaries = new Summaries(new TensorSummarizer(65536, 5), false, 64);
        Random rnd = new Random(7);
        MnistTensors mnist = new MnistTensors(rnd);
        input = mnist.input;
        scores = mnist.scores;
        label = mnist.label;
        tokenIds = ByteBuffer.allocateDirect(TOKENS * 8).order(ByteOrder.LITTLE_ENDIAN);
        tokenMask = ByteBuffer.allocateDirect(TOKENS * 8).order(ByteOrder.LITTLE_ENDIAN);
        tokenTypes = ByteBuffer.allocateDirect(TOKENS * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < TOKENS; i++) {
            tokenIds.putLong(
                    i * 8, i == 0 ? 101 : i == TOKENS - 1 ? 102 : 1000 + rnd.nextInt(29000));
            tokenMask.putLong(i * 8, 1);
        }
        hidden = ByteBuffer.allocateDirect(TOKENS * 384 * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < TOKENS * 384; i++) {
            hidden.putFloat(i * 4, (float) rnd.nextGaussian() * 0.3f);
        }
        embedding.agentId = "4242@bench-host";
        embedding.runtime = "onnxruntime";
        embedding.modelId = "all-minilm-l6-v2";
        dir = Files.createTempDirectory("mlguard-capture-bench");
        writer = QueueWriter.create(dir.toFile(), new AgentCounters(), 1L << 20, asyncWrite);
        describe();
        summarizeInput();
        summarizeOutputs();
        stageEmbedding();
        writer.write(record); // kept in memory until the queue opens: now
        writer.flushAtExit();
        if (!writer.isOpen() || !writer.write(record)) {
            throw new IllegalStateException("the queue did not open in " + dir);
        }
    }

    /** The scalar fields the recorder sets before asking for the summaries. */
    private void describe() {
        record.clear();
        record.timestampMillis = System.currentTimeMillis();
        record.latencyNanos = 10_500;
        record.agentId = "4242@bench-host";
        record.runtime = "onnxruntime";
        record.modelId = "mnist";
        record.modelHashPrefix = 0x1234_5678_9abc_def0L;
        record.clientIdSource = ClientIdSource.HEADER;
        record.clientId = "client-17";
        record.requestPath = "/v1/models/mnist:predict";
    }

    @Benchmark
    public InferenceRecord summarizeInput() {
        record.inputCount = 0;
        summaries.input(record, "input", DType.FLOAT32, INPUT_SHAPE, input);
        return record;
    }

    /**
     * The input's statistics alone (min, max, mean, std, counts, norm): part of {@link
     * #summarizeInput}.
     */
    @Benchmark
    public TensorSummary inputStatistics() {
        statistics.summarize(input, DType.FLOAT32, 784, inputSummary);
        return inputSummary;
    }

    /**
     * The input's fingerprint alone (an 8 by 8 pooled thumbnail): part of {@link #summarizeInput}.
     */
    @Benchmark
    public int inputFingerprint() {
        return fingerprinter.fingerprint(input, DType.FLOAT32, INPUT_SHAPE, 2, record);
    }

    @Benchmark
    public InferenceRecord summarizeOutputs() {
        record.outputCount = 0;
        summaries.output(record, "probabilities", DType.FLOAT32, SCORES_SHAPE, scores);
        summaries.output(record, "label", DType.INT64, LABEL_SHAPE, label);
        return record;
    }

    @Benchmark
    public boolean write() {
        return writer.write(record);
    }

    @Benchmark
    public boolean capture() {
        describe();
        summarizeInput();
        summarizeOutputs();
        return writer.write(record);
    }

    private final StageArena arena = new StageArena(4 << 20);
    private final StagedTensors staged = new StagedTensors();

    /**
     * What a serving thread does instead of {@link #summarizeInput} and {@link #summarizeOutputs}
     * when it defers the capture: copies the three tensors into its arena (then frees them, as the
     * summary thread would), here with the copy's cache lines warm on this thread.
     */
    /**
     * The calls the agent weaves into a runtime's inference method, through its dispatcher, whose
     * hooks here are the no-op ones it holds before the agent starts, around a counter's increment:
     * against {@link #hooksAbsent}, what {@link MnistHooksOnAndOff}'s turns with the hooks off
     * still run of the agent.
     */
    @Benchmark
    public int hooksOff() {
        long token = Dispatcher.enterInferenceHook(Dispatcher.ONNX_RUNTIME);
        int n = ++calls;
        Dispatcher.returnInference(record, Dispatcher.ONNX_RUNTIME, token, this, input);
        return n;
    }

    /** {@link #hooksOff}'s increment alone. */
    @Benchmark
    public int hooksAbsent() {
        return ++calls;
    }

    private int calls;

    @Benchmark
    public int stage() {
        staged.begin(arena);
        summaries.stageInto(staged);
        summaries.input(record, "input", DType.FLOAT32, INPUT_SHAPE, input);
        summaries.output(record, "probabilities", DType.FLOAT32, SCORES_SHAPE, scores);
        summaries.output(record, "label", DType.INT64, LABEL_SHAPE, label);
        summaries.stageInto(null);
        arena.free(staged.end());
        return staged.size();
    }

    /** The stand-in for an inference alone: subtract it from {@link #captureAfterInference}. */
    @Benchmark
    public void inference() {
        Blackhole.consumeCPU(INFERENCE_TOKENS);
    }

    /** An inference's CPU work, then the agent's capture of it, as on a serving thread. */
    @Benchmark
    public boolean captureAfterInference() {
        Blackhole.consumeCPU(INFERENCE_TOKENS);
        return capture();
    }

    /**
     * {@link #capture} for one sentence embedded by all-MiniLM-L6-v2 ({@link MiniLmEmbedding}):
     * three int64 inputs of 18 tokens and the last hidden state, 18 by 384 floats; the agent's
     * share of that benchmark's added time.
     */
    @Benchmark
    public boolean captureEmbedding() {
        InferenceRecord r = embedding;
        r.inputCount = 0;
        r.outputCount = 0;
        r.timestampMillis = System.currentTimeMillis();
        embeddingTensors(r);
        return writer.write(r);
    }

    /**
     * The embedding's four tensors handed to {@link #summaries}, as ONNX Runtime's adapter does.
     */
    private void embeddingTensors(InferenceRecord r) {
        summaries.input(r, "input_ids", DType.INT64, TOKEN_SHAPE, tokenIds);
        summaries.input(r, "attention_mask", DType.INT64, TOKEN_SHAPE, tokenMask);
        summaries.input(r, "token_type_ids", DType.INT64, TOKEN_SHAPE, tokenTypes);
        summaries.output(r, "last_hidden_state", DType.FLOAT32, HIDDEN_SHAPE, hidden);
    }

    /** Stages the embedding's tensors into {@code into}: the arena position to free, or -1. */
    private long stageEmbeddingInto(StagedTensors into, StageArena arena) {
        into.begin(arena);
        summaries.stageInto(into);
        embeddingTensors(embedding);
        summaries.stageInto(null);
        return into.end();
    }

    private final Summaries replayer = new Summaries(new TensorSummarizer(65536, 5), false, 64);
    private final StagedTensors stagedEmbedding = new StagedTensors();

    /**
     * The embedding's tensors as {@link #captureEmbedding}'s serving thread would stage them: the
     * first capture overflows the arena's first 16 KB and grows it, as in the agent.
     */
    private void stageEmbedding() {
        StageArena embeddingArena = new StageArena(4 << 20);
        for (int attempt = 0; attempt < 2; attempt++) {
            if (stageEmbeddingInto(stagedEmbedding, embeddingArena) >= 0) {
                break;
            }
        }
        if (stagedEmbedding.overflowed() || stagedEmbedding.size() != 4) {
            throw new IllegalStateException("the embedding's tensors were not staged");
        }
    }

    private final StageArena copyArena = new StageArena(4 << 20);
    private final StagedTensors copied = new StagedTensors();

    /**
     * The serving thread's copy of the embedding's tensors when it defers the capture (then freed,
     * as the summary thread would), with every line warm on this thread: against the agent's own
     * time in a real embedding (AgentCaptureInSitu, run-jmh.sh's {@code BENCH=overhead-minilm}),
     * what the cold caches after an inference cost it.
     */
    @Benchmark
    public int copyEmbedding() {
        long end = stageEmbeddingInto(copied, copyArena);
        if (end >= 0) {
            copyArena.free(end);
        }
        return copied.size();
    }

    /**
     * The summary thread's part of {@link #captureEmbedding} when the serving thread deferred it:
     * the staged tensors summarised and the record written (here with the stage's cache lines warm
     * on this thread, where the summary thread reads them from the serving thread's core).
     */
    @Benchmark
    public boolean replayEmbedding() {
        InferenceRecord r = replayer.replayRecord();
        r.agentId = embedding.agentId;
        r.runtime = embedding.runtime;
        r.modelId = embedding.modelId;
        r.timestampMillis = System.currentTimeMillis();
        r.inputCount = 0;
        r.outputCount = 0;
        replayer.replay(stagedEmbedding, r);
        return writer.write(r);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        writer.close();
        deleteTree(dir);
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder())
                    .forEach(
                            p -> {
                                try {
                                    Files.delete(p);
                                } catch (IOException e) {
                                    throw new UncheckedIOException(e);
                                }
                            });
        }
    }

    /**
     * The agent's whole part of an MNIST inference as the serving thread runs it, in process: the
     * real {@link InferenceRecorder} with its summary thread and queue, around {@link #inference}'s
     * CPU work, the tensors handed over by a runtime adapter that gives {@link MnistTensors} (what
     * ONNX Runtime's adapter reads, without its method handles). {@code deferSummaries} as the
     * agent takes it: {@code auto} (the default) hands the capture to the summary thread while a
     * core is spare, {@code false} summarises it here. Each iteration prints the agent's own
     * measure of its time on the serving thread ({@code captureSampleEvery=1}) and where the
     * captures went; subtract {@link #inference} from {@link #recordedInference} for the added
     * time.
     */
    @State(Scope.Thread)
    public static class Recorded {
        @Param({"auto"})
        public String deferSummaries;

        /**
         * Weights the stand-in inference reads before its CPU work, in KB, as the MLP's layers read
         * its 400 KB of them: the agent's own data then comes back from farther caches, as after a
         * real inference.
         */
        @Param({"400"})
        public int weightsKb;

        /**
         * The weights as ints, one cache line of them read per 16 (the cache traffic, not the sum).
         */
        private int[] weights;

        /**
         * More agent settings, {@code ;} between them (JMH splits a parameter's values at commas),
         * such as {@code captureSlots=64;stageKb=64}.
         */
        @Param({""})
        public String agentArgs;

        private final MnistTensors tensors = new MnistTensors(new Random(7));
        private final Object session = new Object();
        private Path dir;
        private QueueWriter queue;
        private AgentCounters counters;
        private InferenceRecorder recorder;

        @Setup(Level.Trial)
        public void setUp() throws IOException, InterruptedException {
            weights = new Random(11).ints(weightsKb * 256L).toArray();
            dir = Files.createTempDirectory("mlguard-recorded-bench");
            AgentConfig config =
                    AgentConfig.load(
                            "queue="
                                    + dir
                                    + ",statsIntervalSeconds=0,captureSampleEvery=1,deferSummaries="
                                    + deferSummaries
                                    + (agentArgs.isEmpty()
                                            ? ""
                                            : "," + agentArgs.replace(';', ',')),
                            Map.of());
            counters = new AgentCounters();
            queue = QueueWriter.create(config.queueDir, counters, 1L << 20, config.asyncWrite);
            queue.openInBackground(AgentCapture.class.getClassLoader());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!queue.isOpen()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the queue did not open in " + dir);
                }
                Thread.sleep(10);
            }
            recorder =
                    new InferenceRecorder(
                            config,
                            queue,
                            counters,
                            new RuntimeAdapter[] {new MnistRuntime(tensors)},
                            new RequestAdapter[0],
                            null);
        }

        /** The stand-in inference: reads the weights, then {@link #inference}'s CPU work. */
        int infer() {
            int sum = 0;
            int[] w = weights;
            for (int i = 0; i < w.length; i += 16) {
                sum += w[i];
            }
            Blackhole.consumeCPU(INFERENCE_TOKENS);
            return sum;
        }

        @Setup(Level.Iteration)
        public void resetCounters() {
            counters.captureSamples.reset();
            counters.captureSampleNanos.reset();
            deferredBefore = counters.capturesDeferred.sum(); // counted by the rings: no reset
            counters.recordsWrittenInline.reset();
        }

        private long deferredBefore;

        @TearDown(Level.Iteration)
        public void printCounters() {
            long n = counters.captureSamples.sum();
            System.out.printf(
                    Locale.ROOT,
                    "  [in situ: %.1f ns per capture over %d; deferred %.1f %%, written inline"
                            + " with a full ring %.2f %%]%n",
                    n == 0 ? 0 : (double) counters.captureSampleNanos.sum() / n,
                    n,
                    n == 0 ? 0 : 100.0 * (counters.capturesDeferred.sum() - deferredBefore) / n,
                    n == 0 ? 0 : 100.0 * counters.recordsWrittenInline.sum() / n);
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException {
            recorder.flushAtExit();
            queue.close();
            deleteTree(dir);
        }
    }

    /** Hands the recorder {@link MnistTensors}, as ONNX Runtime's adapter hands it a digit's. */
    private static final class MnistRuntime implements RuntimeAdapter {
        private final MnistTensors t;

        MnistRuntime(MnistTensors t) {
            this.t = t;
        }

        @Override
        public String runtimeName() {
            return "onnxruntime";
        }

        @Override
        public void summarizeInference(
                Object target, Object input, Object result, InferenceRecord r, Summaries s) {
            s.input(r, "input", DType.FLOAT32, INPUT_SHAPE, t.input);
            s.output(r, "probabilities", DType.FLOAT32, SCORES_SHAPE, t.scores);
            s.output(r, "label", DType.INT64, LABEL_SHAPE, t.label);
        }

        @Override
        public ModelIdentity describeModelLoad(
                Object model, Object source, Object options, ModelLoadRecord record) {
            throw new UnsupportedOperationException("no model is loaded here");
        }

        @Override
        public ModelIdentity identifyUnknownModel(Object target) {
            return new ModelIdentity("mnist", 0x1234_5678_9abc_def0L);
        }
    }

    /** An inference's CPU work with the agent's hooks around it, as woven into a runtime. */
    @Benchmark
    public int recordedInference(Recorded r) {
        long token = r.recorder.enterInference(0);
        int f = r.infer();
        r.recorder.exitInference(0, token, r.session, r.tensors, r.tensors, null);
        return f;
    }

    /** {@link #recordedInference}'s stand-in inference alone. */
    @Benchmark
    public int unrecordedInference(Recorded r) {
        return r.infer();
    }
}
