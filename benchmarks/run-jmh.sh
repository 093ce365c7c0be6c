#!/usr/bin/env bash
# JMH: the MNIST MLP on ONNX Runtime with and without the mlguard agent, in one run, with the GC
# profiler for allocation per inference. Run on purpose on a quiet machine; never part of CI.
#   benchmarks/run-jmh.sh [extra JMH options]   e.g. -f 1 -wi 3 -i 5 for a quick look
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f benchmarks/target/benchmarks.jar ] && [ -f shaded/target/mlguard.jar ] ||
  mvn -B -q -DskipTests package -pl benchmarks -am
cd benchmarks
rm -rf target/bench-agent && mkdir -p target/bench-agent
cp ../shaded/target/mlguard.jar target/bench-agent/mlguard.jar
model=target/bench-model
[ -f $model/mnist/1/model.onnx ] || java -jar ../demo-app/target/mlguard-demo.jar train --models $model --epochs 5 >/dev/null
java -Dmlguard.bench.model=$model/mnist/1/model.onnx -jar target/benchmarks.jar 'OrtInference' \
  -jvmArgsPrepend "-Dmlguard.bench.model=$PWD/$model/mnist/1/model.onnx" \
  -prof gc -rf json -rff target/jmh-ort.json "$@"
echo "results: benchmarks/target/jmh-ort.json; the queue written by the agent forks: benchmarks/target/bench-agent/queue"
