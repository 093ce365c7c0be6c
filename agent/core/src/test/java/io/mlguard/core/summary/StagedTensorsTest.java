package io.mlguard.core.summary;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlguard.protocol.DType;
import io.mlguard.protocol.InferenceRecord;
import io.mlguard.protocol.Records;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.openhft.chronicle.bytes.Bytes;
import org.junit.jupiter.api.Test;

/**
 * Tensors copied on the serving thread and summarised later ({@link Summaries#stageInto}, {@link
 * Summaries#replay}) give the record that summarising them at once gives, byte for byte as written
 * to the queue, whatever the tensors' types, buffers, sizes and values.
 */
class StagedTensorsTest {
    /** One tensor handed to the summaries: input or output, as a runtime hands it over. */
    record Tensor(boolean input, String name, DType dtype, long[] shape, Buffer data) {}

    private static final int LIMIT = 1 << 20;

    static byte[] bytes(InferenceRecord r) {
        Bytes<byte[]> b = Bytes.allocateElasticOnHeap(1024);
        r.writeTo(b);
        return b.toByteArray();
    }

    static Summaries summaries(int maxElements, boolean features) {
        return new Summaries(new TensorSummarizer(maxElements, 5), features, 64);
    }

    static byte[] atOnce(Summaries s, List<Tensor> tensors) {
        InferenceRecord r = new InferenceRecord();
        for (Tensor t : tensors) {
            hand(s, r, t);
        }
        return bytes(r);
    }

    /**
     * Stages with {@code serving}, replays with {@code other} (another thread's summaries). An
     * inference larger than the arena so far overflows once; the arena then grows to hold it.
     */
    static byte[] staged(
            Summaries serving,
            Summaries other,
            StagedTensors into,
            StageArena arena,
            List<Tensor> ts) {
        InferenceRecord r = new InferenceRecord();
        long end = -1;
        for (int attempt = 0; attempt < 3 && end < 0; attempt++) {
            into.begin(arena);
            serving.stageInto(into);
            try {
                for (Tensor t : ts) {
                    hand(serving, r, t);
                }
            } finally {
                serving.stageInto(null);
            }
            end = into.end();
        }
        assertThat(end).isNotNegative();
        assertThat(bytes(r))
                .as("staging leaves the record alone")
                .isEqualTo(bytes(new InferenceRecord()));
        other.replay(into, r);
        arena.free(end);
        return bytes(r);
    }

    private static void hand(Summaries s, InferenceRecord r, Tensor t) {
        if (t.input) {
            s.input(r, t.name, t.dtype, t.shape, t.data);
        } else {
            s.output(r, t.name, t.dtype, t.shape, t.data);
        }
    }

    static float[] floats(int n, Random rnd) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = rnd.nextFloat() < 0.4f ? 0f : (float) rnd.nextGaussian() * 3;
        }
        return v;
    }

    static ByteBuffer le(float[] v, boolean direct) {
        return TensorDataTest.littleEndian(v, direct);
    }

    static LongBuffer tokens(int n, Random rnd) {
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
            v[i] = rnd.nextInt(30_000);
        }
        return LongBuffer.wrap(v);
    }

    /** The inferences to compare: every kind of tensor the runtimes hand over. */
    static List<List<Tensor>> inferences(long seed) {
        Random rnd = new Random(seed);
        List<List<Tensor>> all = new ArrayList<>();
        // an MNIST digit: float input as ONNX Runtime keeps it, logits as a direct view
        float[] digit = floats(784, rnd);
        digit[3] = Float.NaN;
        digit[99] = Float.NEGATIVE_INFINITY;
        all.add(
                List.of(
                        new Tensor(
                                true,
                                "input",
                                DType.FLOAT32,
                                new long[] {1, 784},
                                FloatBuffer.wrap(digit)),
                        new Tensor(
                                false,
                                "logits",
                                DType.FLOAT32,
                                new long[] {1, 10},
                                le(floats(10, rnd), true))));
        // probabilities (softmax already applied) as a heap little-endian buffer
        float[] p = new float[10];
        float sum = 0;
        for (int i = 0; i < 10; i++) {
            p[i] = rnd.nextFloat();
            sum += p[i];
        }
        for (int i = 0; i < 10; i++) {
            p[i] /= sum;
        }
        all.add(
                List.of(
                        new Tensor(
                                true,
                                "x",
                                DType.FLOAT32,
                                new long[] {28, 28},
                                le(floats(784, rnd), false)),
                        new Tensor(false, "p", DType.FLOAT32, new long[] {1, 10}, le(p, false))));
        // a sentence embedding: three int64 inputs, a [1, 17, 384] hidden state
        int n = 17;
        all.add(
                List.of(
                        new Tensor(
                                true, "input_ids", DType.INT64, new long[] {1, n}, tokens(n, rnd)),
                        new Tensor(
                                true,
                                "attention_mask",
                                DType.INT64,
                                new long[] {1, n},
                                tokens(n, rnd)),
                        new Tensor(
                                true,
                                "token_type_ids",
                                DType.INT64,
                                new long[] {1, n},
                                tokens(n, rnd)),
                        new Tensor(
                                false,
                                "last_hidden_state",
                                DType.FLOAT32,
                                new long[] {1, n, 384},
                                le(floats(n * 384, rnd), true))));
        // a float tensor larger than the dense copy and than the sampling limit below
        all.add(
                List.of(
                        new Tensor(
                                true,
                                "big",
                                DType.FLOAT32,
                                new long[] {1, 3, 100, 70},
                                FloatBuffer.wrap(floats(21_000, rnd))),
                        new Tensor(
                                false,
                                "out",
                                DType.FLOAT32,
                                new long[] {4, 1000},
                                le(floats(4000, rnd), false))));
        // a tabular row (features captured), other element types, a string tensor with no data
        short[] halves = new short[64];
        for (int i = 0; i < halves.length; i++) {
            halves[i] = (short) rnd.nextInt(0x7c00);
        }
        byte[] pixels = new byte[300];
        rnd.nextBytes(pixels);
        double[] doubles = new double[40];
        int[] ints = new int[40];
        for (int i = 0; i < 40; i++) {
            doubles[i] = rnd.nextGaussian();
            ints[i] = rnd.nextInt();
        }
        all.add(
                List.of(
                        new Tensor(
                                true,
                                "row",
                                DType.FLOAT32,
                                new long[] {1, 20},
                                FloatBuffer.wrap(floats(20, rnd))),
                        new Tensor(
                                true,
                                "half",
                                DType.FLOAT16,
                                new long[] {8, 8},
                                ShortBuffer.wrap(halves)),
                        new Tensor(
                                true,
                                "pixels",
                                DType.UINT8,
                                new long[] {3, 10, 10},
                                ByteBuffer.wrap(pixels)),
                        new Tensor(true, "text", DType.STRING, new long[] {1}, null),
                        new Tensor(
                                false,
                                "d",
                                DType.FLOAT64,
                                new long[] {2, 20},
                                DoubleBuffer.wrap(doubles)),
                        new Tensor(
                                false, "i", DType.INT32, new long[] {40}, IntBuffer.wrap(ints))));
        // a buffer holding fewer elements than the shape says; a shape longer than a record's
        all.add(
                List.of(
                        new Tensor(
                                true,
                                "short",
                                DType.FLOAT32,
                                new long[] {1, 784},
                                FloatBuffer.wrap(floats(500, rnd))),
                        new Tensor(
                                false,
                                "deep",
                                DType.FLOAT32,
                                new long[] {1, 1, 1, 1, 1, 1, 1, 1, 2, 3},
                                le(floats(6, rnd), false))));
        // more tensors than a record holds: the same ones are kept
        List<Tensor> many = new ArrayList<>();
        for (int i = 0; i < Records.MAX_TENSORS + 3; i++) {
            many.add(
                    new Tensor(
                            true,
                            "in" + i,
                            DType.FLOAT32,
                            new long[] {1, 5},
                            FloatBuffer.wrap(floats(5, rnd))));
            many.add(
                    new Tensor(
                            false,
                            "out" + i,
                            DType.FLOAT32,
                            new long[] {1, 5},
                            le(floats(5, rnd), true)));
        }
        all.add(many);
        return all;
    }

    @Test
    void replayedSummariesAreTheSummariesOfTheTensorsAtOnce() {
        for (boolean features : new boolean[] {false, true}) {
            for (int maxElements : new int[] {65536, 1000}) {
                Summaries serving = summaries(maxElements, features);
                Summaries other = summaries(maxElements, features);
                Summaries reference = summaries(maxElements, features);
                StagedTensors slot = new StagedTensors();
                StageArena arena = new StageArena(LIMIT);
                for (long seed = 1; seed <= 3; seed++) {
                    // one slot and arena reused for every inference, as a ring's are
                    for (List<Tensor> inference : inferences(seed)) {
                        assertThat(staged(serving, other, slot, arena, inference))
                                .as(
                                        "seed %d, maxElements %d, features %b",
                                        seed, maxElements, features)
                                .isEqualTo(atOnce(reference, inference));
                    }
                }
            }
        }
    }

    @Test
    void aBufferShorterThanItsShapeGivesNoFeaturesRatherThanTheNextTensorsValues() {
        float[] next = new float[8];
        java.util.Arrays.fill(next, 99f);
        List<Tensor> inference =
                List.of(
                        new Tensor(
                                true,
                                "short",
                                DType.FLOAT32,
                                new long[] {1, 8},
                                FloatBuffer.wrap(new float[] {1, 2, 3, 4})),
                        new Tensor(
                                true,
                                "next",
                                DType.FLOAT32,
                                new long[] {1, 8},
                                FloatBuffer.wrap(next)));
        Summaries serving = summaries(65536, true);
        StagedTensors slot = new StagedTensors();
        slot.begin(new StageArena(LIMIT));
        serving.stageInto(slot);
        InferenceRecord r = new InferenceRecord();
        for (Tensor t : inference) {
            hand(serving, r, t);
        }
        serving.stageInto(null);
        assertThat(slot.end()).isNotNegative();
        summaries(65536, true).replay(slot, r);
        // the first input has 4 of its 8 elements: the copy holds those 4, and after them the
        // arena holds the next tensor, not this one's row
        assertThat(r.features()).doesNotContain(99f);
        assertThat(bytes(r)).isEqualTo(atOnce(summaries(65536, true), inference));
    }

    @Test
    void theRecordsReallyDifferByTensor() {
        // guards the test above against comparing records that hold nothing
        List<List<Tensor>> a = inferences(1);
        List<List<Tensor>> b = inferences(2);
        Summaries s = summaries(65536, true);
        for (int i = 0; i < a.size(); i++) {
            assertThat(atOnce(s, a.get(i))).isNotEqualTo(atOnce(s, b.get(i)));
        }
    }

    @Test
    void stagingLeavesTheRuntimesBuffersWhereTheyWere() {
        FloatBuffer in = FloatBuffer.wrap(new float[] {1, 2, 3, 4});
        in.position(1);
        ByteBuffer out = le(new float[] {0.5f, 0.5f}, true);
        out.position(4);
        StagedTensors slot = new StagedTensors();
        slot.begin(new StageArena(LIMIT));
        Summaries s = summaries(65536, false);
        s.stageInto(slot);
        s.input(new InferenceRecord(), "x", DType.FLOAT32, new long[] {1, 4}, in);
        s.output(new InferenceRecord(), "y", DType.FLOAT32, new long[] {1, 2}, out);
        s.stageInto(null);
        assertThat(in.position()).isEqualTo(1);
        assertThat(out.position()).isEqualTo(4);
        assertThat(slot.size()).isEqualTo(2);
    }

    /**
     * Top-k, margin and entropy describe a classifier's answer: an output of rank 1 or 2 ({@code
     * [classes]}, {@code [batch, classes]}). The last dimension of a sentence embedding's hidden
     * state ({@code [1, tokens, 384]}) or of an image map is no set of classes, so those get the
     * statistics alone, at once and staged alike.
     */
    @Test
    void onlyOutputsOfRankOneOrTwoAreReadAsClassScores() {
        Random rnd = new Random(7);
        float[] scores = floats(24, rnd);
        for (long[] shape : new long[][] {{24}, {1, 24}, {1, 2, 12}, {1, 2, 3, 4}}) {
            Summaries s = summaries(65536, false);
            InferenceRecord r = new InferenceRecord();
            s.output(r, "y", DType.FLOAT32, shape, FloatBuffer.wrap(scores));
            boolean classes = shape.length <= 2;
            assertThat(r.outputs[0].count).isEqualTo(24);
            assertThat(r.outputs[0].topK)
                    .as("top-k of rank %d", shape.length)
                    .isEqualTo(classes ? 5 : 0);
            assertThat(r.outputs[0].entropy > 0)
                    .as("entropy of rank %d", shape.length)
                    .isEqualTo(classes);
            Tensor t = new Tensor(false, "y", DType.FLOAT32, shape, FloatBuffer.wrap(scores));
            assertThat(
                            staged(
                                    summaries(65536, false),
                                    summaries(65536, false),
                                    new StagedTensors(),
                                    new StageArena(LIMIT),
                                    List.of(t)))
                    .isEqualTo(bytes(r));
        }
    }

    @Test
    void anInferenceThatDoesNotFitOverflowsAndGivesItsRoomBack() {
        StageArena arena = new StageArena(64 * 1024);
        StagedTensors slot = new StagedTensors();
        Summaries s = summaries(65536, false);
        InferenceRecord r = new InferenceRecord();
        // 40 KB: more than the arena holds at first; it doubles once it has seen that
        for (int attempt = 0; attempt < 2; attempt++) {
            slot.begin(arena);
            s.stageInto(slot);
            s.input(r, "small", DType.FLOAT32, new long[] {1, 10}, FloatBuffer.wrap(new float[10]));
            s.output(
                    r,
                    "large",
                    DType.FLOAT32,
                    new long[] {1, 10_000},
                    FloatBuffer.wrap(new float[10_000]));
            s.stageInto(null);
            assertThat(slot.overflowed()).isEqualTo(attempt == 0);
            long end = slot.end();
            if (attempt == 0) {
                assertThat(end).isEqualTo(-1);
                assertThat(arena.end()).as("given back").isZero();
                assertThat(arena.capacity()).isEqualTo(StageArena.INITIAL_BYTES);
            } else {
                assertThat(arena.capacity()).isEqualTo(64 * 1024);
                assertThat(end).isEqualTo(arena.end()).isPositive();
                arena.free(end);
            }
        }
        // never beyond the limit
        slot.begin(arena);
        s.stageInto(slot);
        s.output(
                r,
                "huge",
                DType.FLOAT32,
                new long[] {1, 20_000},
                FloatBuffer.wrap(new float[20_000]));
        s.stageInto(null);
        assertThat(slot.end()).isEqualTo(-1);
        slot.begin(arena);
        assertThat(arena.capacity()).isEqualTo(64 * 1024);
    }

    @Test
    void anArenaGrownForABurstShrinksBackOnceItStaysMostlyEmpty() {
        StageArena arena = new StageArena(1 << 20, 0, null);
        // a burst: 40 KB captures pile up until the buffer, grown while empty, holds them
        for (int round = 0; round < 8; round++) {
            arena.begin();
            long[] ends = new long[64];
            int held = 0;
            while (held < ends.length && arena.reserve(40_000) >= 0) {
                ends[held++] = arena.end();
            }
            arena.free(arena.end()); // the summary thread catches up
        }
        assertThat(arena.capacity()).isEqualTo(1 << 20);

        // then small captures, each freed before the next: halved after every quiet window
        int capacity = arena.capacity();
        for (int window = 0; window < 3; window++) {
            for (int i = 0; i < ShrinkWindow.CAPTURES; i++) {
                arena.begin();
                assertThat(arena.reserve(3_200)).isNotNegative();
                arena.free(arena.end());
            }
            arena.begin();
            capacity /= 2;
            assertThat(arena.capacity()).as("after window %d", window).isEqualTo(capacity);
        }
        // never below its start, and not while a window had it a quarter full
        StageArena small = new StageArena(1 << 20, 0, null);
        for (int i = 0; i < 3 * ShrinkWindow.CAPTURES; i++) {
            small.begin();
            small.reserve(100);
            small.free(small.end());
        }
        assertThat(small.capacity()).isEqualTo(StageArena.INITIAL_BYTES);
        StageArena busy = new StageArena(1 << 20, 0, null);
        busy.begin();
        busy.reserve(20_000); // grows to 64 KB at the next begin
        busy.begin();
        assertThat(busy.capacity()).isEqualTo(64 * 1024);
        for (int i = 0; i < 2 * ShrinkWindow.CAPTURES; i++) {
            busy.begin();
            assertThat(busy.reserve(20_000)).isNotNegative(); // 20 of 64 KB: more than a quarter
            busy.free(busy.end());
        }
        busy.begin();
        assertThat(busy.capacity()).isEqualTo(64 * 1024);
    }

    @Test
    void anArenaUnderASteadyLoadShrinksThoughItsWindowsEndWithCapturesHeld() {
        StageArena arena = new StageArena(1 << 20, 0, null);
        for (int round = 0; round < 8; round++) { // a burst grows it to its limit, as above
            arena.begin();
            while (arena.reserve(40_000) >= 0) {
                // pile up
            }
            arena.free(arena.end());
        }
        assertThat(arena.capacity()).isEqualTo(1 << 20);
        // then a steady stream that the summary thread frees three captures at a time: most
        // captures find one or two still held, as a serving thread's do between the summary
        // thread's rounds; it never holds more than 10 KB, under a quarter of 64 KB
        int capacity = arena.capacity();
        long captures = 0;
        for (int window = 0; window < 3; window++) {
            for (int i = 0; i < ShrinkWindow.CAPTURES + 3 * StageArena.LOOK_EVERY; i++) {
                arena.begin();
                assertThat(arena.reserve(3_200)).isNotNegative();
                if (++captures % 3 == 0) {
                    arena.free(arena.end());
                }
            }
            capacity /= 2;
            assertThat(arena.capacity()).as("after window %d", window).isEqualTo(capacity);
        }
    }

    @Test
    void anArenaGrownAfterALongQuietTimeIsNotHalvedAtOnce() {
        long[] clock = {0};
        StageArena arena = new StageArena(1 << 20, 1_000_000_000L, () -> clock[0]);
        clock[0] += 5_000_000_000L; // the first window (1 s) is long over
        arena.begin();
        assertThat(arena.reserve(20_000)).as("more than 16 KB").isNegative();
        arena.begin(); // grows, and starts a new window
        assertThat(arena.capacity()).isEqualTo(64 * 1024);
        for (int i = 0; i < 2 * ShrinkWindow.CAPTURES; i++) {
            arena.begin();
            arena.reserve(100);
            arena.free(arena.end());
        }
        assertThat(arena.capacity()).as("grown, within its window").isEqualTo(64 * 1024);
    }

    @Test
    void anInferenceOfMoreThanTheCaptureLimitIsNeverCopiedWhateverTheArenaHolds() {
        StageArena arena = new StageArena(16 << 20);
        StagedTensors slot = new StagedTensors();
        Summaries s = summaries(65536, false);
        InferenceRecord r = new InferenceRecord();
        int floats = StagedTensors.MAX_CAPTURE_BYTES / 4 / 2; // each half the limit
        for (int attempt = 0; attempt < 3; attempt++) {
            slot.begin(arena);
            s.stageInto(slot);
            s.input(
                    r,
                    "a",
                    DType.FLOAT32,
                    new long[] {floats},
                    FloatBuffer.wrap(new float[floats]));
            s.input(
                    r,
                    "b",
                    DType.FLOAT32,
                    new long[] {floats},
                    FloatBuffer.wrap(new float[floats]));
            boolean atLimit = !slot.overflowed();
            s.output(r, "c", DType.FLOAT32, new long[] {1}, FloatBuffer.wrap(new float[1]));
            s.stageInto(null);
            if (attempt == 0) {
                // the arena starts at 16 KB: it grows for the next capture
                assertThat(slot.end()).isEqualTo(-1);
                continue;
            }
            assertThat(atLimit).as("exactly the limit is copied").isTrue();
            assertThat(slot.overflowed()).as("one float more is not").isTrue();
            assertThat(slot.end()).isEqualTo(-1);
        }
        assertThat(arena.end()).as("all given back").isZero();
        assertThat(arena.capacity())
                .as("room enough")
                .isGreaterThanOrEqualTo(StagedTensors.MAX_CAPTURE_BYTES);
    }

    @Test
    void theArenaHoldsWaitingCapturesUntilFreedAndNeverSplitsATensor() {
        StageArena arena = new StageArena(StageArena.INITIAL_BYTES);
        int len = 6000; // two fit in 16 KB, a third only once the first is freed
        assertThat(arena.begin()).isZero();
        int first = arena.reserve(len);
        long firstEnd = arena.end();
        int second = arena.reserve(len);
        long secondEnd = arena.end();
        assertThat(first).isZero();
        assertThat(second).isEqualTo(6000);
        assertThat(arena.reserve(len)).as("would overwrite the first").isEqualTo(-1);
        arena.free(firstEnd);
        // 12,000..18,000 would cross the end: it goes to the start, over the freed first
        assertThat(arena.reserve(len)).isZero();
        arena.free(secondEnd);
        assertThat(arena.reserve(len)).isEqualTo(6000);
    }

    @Test
    void aBufferOfAnotherTypeThanTheTensorOverflowsRatherThanMisreads() {
        StagedTensors slot = new StagedTensors();
        slot.begin(new StageArena(LIMIT));
        Summaries s = summaries(65536, false);
        s.stageInto(slot);
        s.input(
                new InferenceRecord(),
                "ids",
                DType.INT64,
                new long[] {1, 4},
                FloatBuffer.wrap(new float[4]));
        s.stageInto(null);
        assertThat(slot.overflowed()).isTrue();
    }

    @Test
    void aCaptureStillWaitingKeepsItsDataWhenTheArenaGrows() {
        Random rnd = new Random(5);
        StageArena arena = new StageArena(1 << 20);
        Summaries serving = summaries(65536, false);
        List<Tensor> small =
                List.of(
                        new Tensor(
                                true,
                                "x",
                                DType.FLOAT32,
                                new long[] {1, 784},
                                FloatBuffer.wrap(floats(784, rnd))),
                        new Tensor(
                                false,
                                "y",
                                DType.FLOAT32,
                                new long[] {1, 10},
                                le(floats(10, rnd), true)));
        List<Tensor> large =
                List.of(
                        new Tensor(
                                true,
                                "big",
                                DType.FLOAT32,
                                new long[] {1, 10_000},
                                FloatBuffer.wrap(floats(10_000, rnd))));
        StagedTensors waiting = new StagedTensors();
        waiting.begin(arena);
        serving.stageInto(waiting);
        for (Tensor t : small) {
            hand(serving, new InferenceRecord(), t);
        }
        serving.stageInto(null);
        long waitingEnd = waiting.end();
        assertThat(waitingEnd).isPositive();
        int before = arena.capacity();
        // a later capture that does not fit, while the first still waits: the arena grows
        StagedTensors next = new StagedTensors();
        byte[] nextBytes = staged(serving, summaries(65536, false), next, arena, large);
        assertThat(arena.capacity()).isGreaterThan(before);
        assertThat(nextBytes).isEqualTo(atOnce(summaries(65536, false), large));
        // the first is summarised only now, from the buffer it was copied into
        InferenceRecord r = new InferenceRecord();
        summaries(65536, false).replay(waiting, r);
        assertThat(bytes(r)).isEqualTo(atOnce(summaries(65536, false), small));
    }
}
