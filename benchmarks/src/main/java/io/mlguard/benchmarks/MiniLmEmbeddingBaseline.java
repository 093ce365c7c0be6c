package io.mlguard.benchmarks;

import org.openjdk.jmh.annotations.Fork;

/** {@link MiniLmEmbedding} without the agent. */
@Fork(
        value = 3,
        jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-Dai.djl.offline=true"})
public class MiniLmEmbeddingBaseline extends MiniLmEmbedding {}
