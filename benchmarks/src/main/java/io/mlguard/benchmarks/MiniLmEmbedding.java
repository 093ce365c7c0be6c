package io.mlguard.benchmarks;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One sentence embedded by langchain4j's in-process all-MiniLM-L6-v2 (tokenizer, then ONNX Runtime
 * inside langchain4j; code nobody here wrote). The baseline and the agent's subclasses differ only
 * in their forks' JVM flags, so they are measured in the same JMH run; {@link MiniLmCaptureTurns}
 * also switches the agent's capture on and off between iterations.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public abstract class MiniLmEmbedding {
    static final String SENTENCE =
            "A client sent thousands of near-identical images to the model in one hour.";

    private EmbeddingModel model;

    @Setup(Level.Trial)
    public void setUp() {
        model = new AllMiniLmL6V2EmbeddingModel();
    }

    @Benchmark
    public float embed() {
        return model.embed(SENTENCE).content().vector()[0];
    }
}
