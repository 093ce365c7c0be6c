package io.mlguard.benchmarks;

/**
 * The agent flag of every benchmark fork that runs with the agent. JMH forks run in {@code
 * benchmarks/}, where run-jmh.sh copies the built jar to the fixed path named here, and the forks
 * write their records (and stats, which run-jmh.sh reads back) to the queue beside it.
 */
final class BenchAgent {
    static final String JAVAAGENT =
            "-javaagent:target/bench-agent/mlguard.jar=queue=target/bench-agent/queue";

    private BenchAgent() {}
}
