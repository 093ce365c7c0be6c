#!/usr/bin/env bash
# Time from launching the demo server to its "listening" line, with and without the agent,
# alternating runs so that machine noise hits both alike. Prints each run and the medians.
#   benchmarks/startup.sh [runs] [java] [agent jar]
# A run with the agent counts only if the agent says it started: a start that fails is faster.
# Needs the built jars (mvn -B -DskipTests package) and a trained model in demo-work/models
# (./demo.sh leaves one; or java -jar demo-app/target/mlguard-demo.jar train --models demo-work/models).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-7}
java=${2:-java}
agent=${3:-shaded/target/mlguard.jar}
models=demo-work/models
[ -f "$models/mnist/1/model.onnx" ] || java -jar demo-app/target/mlguard-demo.jar train --models "$models" --epochs 2 >/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

start_once() { # $1 = agent flag or empty; prints "wall cpu": milliseconds to "listening", and the
  # CPU milliseconds the JVM had used by then (less sensitive than wall time to a busy machine)
  local log=$tmp/log t0 t1 pid
  rm -rf "$tmp/queue"
  : >"$log" # truncated here, not in the background job, so no earlier run's line is seen
  t0=$(date +%s%N)
  $java $1 -jar demo-app/target/mlguard-demo.jar serve --port 0 --models "$models" >"$log" 2>&1 &
  pid=$!
  until grep -q "listening on" "$log"; do
    kill -0 $pid 2>/dev/null || { cat "$log" >&2; exit 1; }
    sleep 0.005
  done
  t1=$(date +%s%N)
  cpu=$(awk '{print $14 + $15}' /proc/$pid/stat)
  if [ -n "$1" ]; then # the agent starts in the background: its line may come after the server's
    for _ in $(seq 1000); do
      grep -q '^\[mlguard\] agent started' "$log" && break
      sleep 0.01
    done
    grep -q '^\[mlguard\] agent started' "$log" || { echo "the agent did not start:" >&2; cat "$log" >&2; kill $pid; exit 1; }
  fi
  kill $pid; wait $pid 2>/dev/null || true
  echo $(( (t1 - t0) / 1000000 )) $(( cpu * 1000 / $(getconf CLK_TCK) ))
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

without=(); with=(); cpu0=(); cpu1=()
for i in $(seq "$runs"); do
  read -r w c <<<"$(start_once "")"; without+=("$w"); cpu0+=("$c")
  read -r w c <<<"$(start_once "-javaagent:$agent=queue=$tmp/queue")"; with+=("$w"); cpu1+=("$c")
  [[ "${without[-1]} ${with[-1]}" =~ ^[0-9]+\ [0-9]+$ ]] || exit 1 # a start failed (printed above)
  echo "run $i: without ${without[-1]} ms (cpu ${cpu0[-1]} ms), with ${with[-1]} ms (cpu ${cpu1[-1]} ms)"
done
m0=$(printf '%s\n' "${without[@]}" | median)
m1=$(printf '%s\n' "${with[@]}" | median)
c0=$(printf '%s\n' "${cpu0[@]}" | median)
c1=$(printf '%s\n' "${cpu1[@]}" | median)
echo "median start without agent: $m0 ms; with agent: $m1 ms; added: $((m1 - m0)) ms ($($java -version 2>&1 | head -1))"
echo "median CPU used by then without agent: $c0 ms; with agent: $c1 ms; added: $((c1 - c0)) ms"
