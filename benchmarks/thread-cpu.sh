#!/usr/bin/env bash
# What each thread spends per all-MiniLM-L6-v2 sentence embedding (CPU, wake-ups, preemptions, from
# /proc/self/task), with the agent and without it, taking turns (AgentThreadCpu):
#   benchmarks/thread-cpu.sh [rounds] [warm-up seconds] [measured seconds]
# Needs benchmarks/target/benchmarks.jar and shaded/target/mlguard.jar
# (mvn -B -DskipTests package -pl shaded,benchmarks -am).
set -euo pipefail
cd "$(dirname "$0")"
rounds=${1:-1}
warm=${2:-15}
measured=${3:-30}
[ -f target/benchmarks.jar ] && [ -f ../shaded/target/mlguard.jar ] ||
  { echo "build first: mvn -B -DskipTests package -pl shaded,benchmarks -am" >&2; exit 2; }
export OPT_OUT_TRACKING=true # DJL's tokenizer inside the embedding model calls home unless told not to
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp ../shaded/target/mlguard.jar "$tmp/mlguard.jar"
for r in $(seq "$rounds"); do
  for mode in agent none; do
    flags=()
    [ "$mode" = agent ] && flags=("-javaagent:$tmp/mlguard.jar=queue=$tmp/queue-$r")
    echo "== round $r, $([ "$mode" = agent ] && echo "with the agent" || echo "without it")"
    java -Xms1g -Xmx1g -Dai.djl.offline=true "${flags[@]}" -cp target/benchmarks.jar \
      io.mlguard.benchmarks.AgentThreadCpu "$warm" "$measured" 2>&1 | grep -v '^\[mlguard\]\|WARNING'
  done
done
