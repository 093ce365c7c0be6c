#!/usr/bin/env bash
# End-to-end detection benchmark (DetectionBenchmark): the demo server with the real agent, the
# real queue and the real collector; plays benign, attack, drift and swap scenarios and prints
# detection rate, queries until detection, false positives, inference-to-API latency and the
# collector's RSS. Run on purpose (minutes per run); never part of CI.
#   benchmarks/detection.sh [runs per attack, default 5]
# MLGUARD_BENCH_SCENARIOS=extraction,drift-rotate,swap,nes-rot10 plays only those scenarios (the benign
# clients always play); MLGUARD_BENCH_DIR keeps the work directory where you say;
# MLGUARD_BENCH_COLLECTOR_HEAP is the collector's -Xmx (default 1g, empty for the JVM's default).
# MLGUARD_BENCH_COLLECTOR_OPTS are its other JVM options (none by default; e.g. -XX:+UseParallelGC).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
for j in shaded/target/mlguard.jar collector/target/mlguard-collector.jar demo-app/target/mlguard-demo.jar \
         benchmarks/target/classes/io/mlguard/benchmarks/detection/DetectionBenchmark.class; do
  [ -f "$j" ] || { mvn -B -q -DskipTests package -pl benchmarks,shaded,demo-app -am; break; }
done
work=${MLGUARD_BENCH_DIR:-$(mktemp -d /tmp/mlguard-detection.XXXXXX)}
flags=$(sed -n 's:.*<chronicle.jvm.flags>\(.*\)</chronicle.jvm.flags>.*:\1:p' pom.xml)
echo "work directory (logs, queues, state): $work"
export OPT_OUT_TRACKING=true
# shellcheck disable=SC2086
java $flags -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp collector/target/mlguard-collector.jar:benchmarks/target/classes \
  io.mlguard.benchmarks.detection.DetectionBenchmark "$work" "$PWD/shaded/target/mlguard.jar" \
  "$PWD/collector/target/mlguard-collector.jar" "$PWD/demo-app/target/mlguard-demo.jar" "$runs"
