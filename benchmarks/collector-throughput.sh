#!/usr/bin/env bash
# Collector throughput with every detector on, one ingest thread, a durable H2 store, 100,000
# distinct clients (CollectorThroughput). Run on purpose on a quiet machine; never part of CI.
#   benchmarks/collector-throughput.sh [records] [clients] [iterations]
# Set CPUS=0 to pin the whole JVM to one core (taskset), JIT and GC included. The JVM runs with
# JAVA_OPTS, -XX:+UseParallelGC (as the collector is meant to run) unless JAVA_OPTS is set;
# JAVA_OPTS=-XX:+UseG1GC measures the JVM's default collector.
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
"${pin[@]}" java $flags -Xmx2g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn ${JAVA_OPTS--XX:+UseParallelGC} \
  -cp collector/target/mlguard-collector.jar:benchmarks/target/classes \
  io.mlguard.benchmarks.CollectorThroughput "$work/run" "$@"
