#!/usr/bin/env bash
# Collector throughput with every detector on, one ingest thread, a durable H2 store, 100,000
# distinct clients (CollectorThroughput). Run on purpose on a quiet machine; never part of CI.
#   benchmarks/collector-throughput.sh [records] [clients] [iterations]
# Set CPUS=0 to pin the whole JVM to one core (taskset), JIT and GC included. JAVA_OPTS adds JVM
# options: JAVA_OPTS=-XX:+UseParallelGC measures the parallel garbage collector instead of G1.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f benchmarks/target/benchmarks.jar ] && [ -f collector/target/mlguard-collector.jar ] ||
  mvn -B -q -DskipTests package -pl benchmarks -am
work=$(mktemp -d /tmp/mlguard-throughput.XXXXXX)
trap 'rm -rf "$work"' EXIT
flags=$(sed -n 's:.*<chronicle.jvm.flags>\(.*\)</chronicle.jvm.flags>.*:\1:p' pom.xml)
pin=()
[ -n "${CPUS:-}" ] && pin=(taskset -c "$CPUS")
# shellcheck disable=SC2086
"${pin[@]}" java $flags -Xmx2g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn ${JAVA_OPTS:-} \
  -cp collector/target/mlguard-collector.jar:benchmarks/target/classes \
  io.mlguard.benchmarks.CollectorThroughput "$work/run" "$@"
