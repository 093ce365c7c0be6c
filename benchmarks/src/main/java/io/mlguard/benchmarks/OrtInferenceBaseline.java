package io.mlguard.benchmarks;

import org.openjdk.jmh.annotations.Fork;

/** {@link OrtInference} without the agent. */
@Fork(
        value = 3,
        jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class OrtInferenceBaseline extends OrtInference {}
