package io.mlguard.benchmarks;

import org.openjdk.jmh.annotations.Fork;

/**
 * {@link OrtInference} with {@code -javaagent:mlguard.jar}. JMH forks run in {@code benchmarks/},
 * where run-jmh.sh copies the built jar to the fixed path in {@link BenchAgent} (JMH's command-line
 * {@code -jvmArgsAppend} would replace these flags; the script's own settings reach the forks as
 * options of the host JVM, which forks inherit, leaving {@code -jvmArgsPrepend} to the caller).
 */
@Fork(
        value = 3,
        jvmArgsAppend = {"-Xms1g", "-Xmx1g", BenchAgent.JAVAAGENT})
public class OrtInferenceWithAgent extends OrtInference {}
