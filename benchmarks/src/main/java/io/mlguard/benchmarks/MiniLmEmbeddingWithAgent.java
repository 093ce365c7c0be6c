package io.mlguard.benchmarks;

import org.openjdk.jmh.annotations.Fork;

/**
 * {@link MiniLmEmbedding} with {@code -javaagent:mlguard.jar} (see {@link OrtInferenceWithAgent}).
 */
@Fork(
        value = 3,
        jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-Dai.djl.offline=true", BenchAgent.JAVAAGENT})
public class MiniLmEmbeddingWithAgent extends MiniLmEmbedding {}
