#!/usr/bin/env bash
# JMH: the MNIST MLP on ONNX Runtime and langchain4j's all-MiniLM-L6-v2 embedding, each with and
# without the mlguard agent in one run, with the GC profiler for allocation per inference. Run on
# purpose on a quiet machine; never part of CI.
#   benchmarks/run-jmh.sh [extra JMH options]   e.g. -f 1 -wi 3 -i 5 for a quick look
#   BENCH=OrtInference benchmarks/run-jmh.sh    only the MNIST pair (BENCH is a JMH regexp)
#   BENCH=overhead benchmarks/run-jmh.sh        the MNIST inference with and without the agent in
#                                               one JVM, taking turns every iteration (AgentOverhead)
#   BENCH=overhead-hooks benchmarks/run-jmh.sh  the MNIST inference in one JVM with one copy of the
#                                               runtime, the agent's hooks switched on and off every
#                                               iteration (MnistHooksOnAndOff)
#   BENCH=overhead-minilm-hooks benchmarks/run-jmh.sh  the MiniLM embedding the same way
#                                               (MiniLmHooksOnAndOff)
#   BENCH=overhead-minilm benchmarks/run-jmh.sh the MiniLM embedding in one JVM with the agent, its
#                                               capture switched on and off every iteration through
#                                               its control queue (MiniLmCaptureTurns)
#                                               The overhead runs add each fork's medians to
#                                               target/overhead-forks.tsv and print the forks of all
#                                               runs so far pooled, with a 95 % interval (delete it
#                                               to start over)
#   BENCH=OrtOutputViews benchmarks/run-jmh.sh  ONNX Runtime's own cost of viewing the outputs (no agent)
#   BENCH=AgentCapture benchmarks/run-jmh.sh    the agent's capture work in process, part by part
#   MLGUARD_DEFER_SUMMARIES=false benchmarks/run-jmh.sh  the agent forks summarising on the serving thread (any
#                                               agent setting passes to the forks as MLGUARD_<KEY>;
#                                               MLGUARD_CAPTURE_SAMPLE_EVERY=1 times every capture)
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f benchmarks/target/benchmarks.jar ] && [ -f shaded/target/mlguard.jar ] ||
  mvn -B -q -DskipTests package -pl benchmarks -am
cd benchmarks
rm -rf target/bench-agent && mkdir -p target/bench-agent
cp ../shaded/target/mlguard.jar target/bench-agent/mlguard.jar
model=target/bench-model
[ -f $model/mnist/1/model.onnx ] || java -jar ../demo-app/target/mlguard-demo.jar train --models $model --epochs 5 >/dev/null
# DJL's tokenizer inside the embedding model calls home unless told not to (forks inherit this)
export OPT_OUT_TRACKING=true
flags=$(sed -n 's:.*<chronicle.jvm.flags>\(.*\)</chronicle.jvm.flags>.*:\1:p' ../pom.xml)
# how far the disk under the agent forks' queue reads ahead: the first touch of each page of the
# queue's sparse file reads that much around it, all zeroes (README, "The queue's disk matters").
# It goes into the ledger's kind of run, so that runs on disks set differently do not pool.
majmin=$(findmnt -no MAJ:MIN -T target/bench-agent 2>/dev/null | head -1 | tr -d ' ' || true)
readahead=unknown
for f in "/sys/dev/block/$majmin/queue/read_ahead_kb" "/sys/dev/block/$majmin/../queue/read_ahead_kb"; do
  if [ -n "$majmin" ] && [ -r "$f" ]; then readahead=$(cat "$f") && break; fi
done
if [ "$readahead" != unknown ] && [ "$readahead" -gt 1024 ]; then
  echo "run-jmh.sh: the disk under benchmarks/target reads ahead $readahead KB (128 KB is usual: echo 128 >" \
    "/sys/dev/block/$majmin/queue/read_ahead_kb, as root); the agent forks say in their log whether they" \
    "advise the kernel against it for the queue's file (queueAdvice)" >&2
fi
# the overhead runs add every fork's medians to a ledger kept across runs, and pool them: the
# source's commit and the agent jar's digest say which build each row measured
ledger=(-Dmlguard.bench.readAheadKb="$readahead" -Dmlguard.bench.ledger="$PWD/target/overhead-forks.tsv"
  -Dmlguard.bench.commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- ../agent 2>/dev/null || echo +changes)"
  -Dmlguard.bench.agentJar="$(sha256sum target/bench-agent/mlguard.jar | cut -c1-12)")
# the forks inherit the host JVM's options (JMH's default), so -jvmArgsPrepend stays free for the caller
if [ "${BENCH:-}" = overhead ] || [ "${BENCH:-}" = overhead-hooks ]; then
  which=()
  [ "$BENCH" = overhead-hooks ] && which=(MnistHooksOnAndOff)
  java -Dmlguard.bench.model="$PWD/$model/mnist/1/model.onnx" -Dmlguard.statsIntervalSeconds=1 \
    -Dmlguard.bench.offCpuFile="$PWD/target/offcpu.tsv" "${ledger[@]}" \
    -cp target/benchmarks.jar io.mlguard.benchmarks.AgentOverhead -rf json -rff target/jmh.json "$@" \
    "${which[@]}"
elif [ "${BENCH:-}" = overhead-minilm-hooks ]; then
  java -Dmlguard.statsIntervalSeconds=1 "${ledger[@]}" -cp target/benchmarks.jar \
    io.mlguard.benchmarks.AgentOverhead -rf json -rff target/jmh.json "$@" MiniLmHooksOnAndOff
elif [ "${BENCH:-}" = overhead-minilm ]; then
  # Chronicle's flags for the forks' own control queue writer (the agent needs none)
  # shellcheck disable=SC2086
  java $flags -Dmlguard.statsIntervalSeconds=1 "${ledger[@]}" -cp target/benchmarks.jar \
    io.mlguard.benchmarks.AgentOverhead -rf json -rff target/jmh.json "$@" MiniLmCaptureTurns
else
  java -Dmlguard.bench.model="$PWD/$model/mnist/1/model.onnx" -Dmlguard.statsIntervalSeconds=1 \
    -jar target/benchmarks.jar "${BENCH:-OrtInference|MiniLmEmbedding}" \
    -prof gc -rf json -rff target/jmh.json "$@"
fi
# the agent forks' own account of their capture time, from their stats records (none if no agent fork ran)
if [ -d target/bench-agent/queue ]; then
  # shellcheck disable=SC2086
  java $flags -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp target/benchmarks.jar \
    io.mlguard.benchmarks.AgentCaptureInSitu target/bench-agent/queue
fi
echo "results: benchmarks/target/jmh.json; the queue written by the agent forks: benchmarks/target/bench-agent/queue"
