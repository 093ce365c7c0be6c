#!/usr/bin/env bash
# What one MNIST inference allocates, by class, in a JMH fork: exact counts, not samples. Two
# class histograms of the fork's heap that keep unreachable objects (jcmd GC.class_histogram -all),
# taken during measurement with no garbage collection between them, divided by the inferences in
# between (the OrtSession$Result instances). Run on purpose; never part of CI.
#   benchmarks/alloc-classes.sh [OrtInferenceWithAgent|OrtInferenceBaseline] [fork JVM option]
#   e.g. benchmarks/alloc-classes.sh OrtInferenceBaseline -Dmlguard.bench.broadProfiles=true
# Compare two runs' tables to see which classes make -prof gc's difference in bytes per inference.
set -euo pipefail
cd "$(dirname "$0")/.."
bench=${1:-OrtInferenceWithAgent}
work=$(mktemp -d /tmp/mlguard-alloc.XXXXXX)
extra=()
[ -n "${2:-}" ] && extra=(-jvmArgsPrepend "$2")
# in a session of its own: its JMH fork is found, and everything it started is stopped, by that
# session alone, never another run's JVMs on a shared machine
BENCH="$bench" setsid benchmarks/run-jmh.sh -f 1 -wi 2 -w 2s -i 3 -r 10s "${extra[@]}" \
  >"$work/jmh.log" 2>&1 &
runner=$!
trap 'kill -- -"$runner" 2>/dev/null; rm -rf "$work"' EXIT
fork=""
for _ in $(seq 300); do
  fork=$(pgrep -s "$runner" -f 'jmh\.runner\.ForkedMain' | head -n 1 || true)
  [ -n "$fork" ] && grep -q "^Iteration   1" "$work/jmh.log" && break
  sleep 1
done
[ -n "$fork" ] || { echo "no JMH fork measuring after 300 s; see $work/jmh.log" >&2; exit 1; }
# every collection so far, young, full and concurrent (columns by name: their places vary by JDK)
gcs() { jstat -gc "$fork" | awk 'NR == 1 {for (i = 1; i <= NF; i++) col[$i] = i}
  NR == 2 {print $col["YGC"] + $col["FGC"] + ("CGC" in col ? $col["CGC"] : 0)}'; }
for _ in 1 2 3 4 5; do
  before=$(gcs)
  jcmd "$fork" GC.class_histogram -all >"$work/h1"
  sleep 1
  jcmd "$fork" GC.class_histogram -all >"$work/h2"
  [ "$(gcs)" = "$before" ] && break
  rm -f "$work/h2" # a collection came between them: try again
done
[ -f "$work/h2" ] || { echo "a garbage collection came between every pair of histograms" >&2; exit 1; }
awk -v bench="$bench" '
  $1 ~ /^[0-9]+:$/ { if (FILENAME ~ /h1$/) { n1[$4] = $2; b1[$4] = $3 } else { n2[$4] = $2; b2[$4] = $3 } }
  END {
    inf = n2["ai.onnxruntime.OrtSession$Result"] - n1["ai.onnxruntime.OrtSession$Result"]
    if (inf <= 0) { print "no inferences between the histograms" > "/dev/stderr"; exit 1 }
    printf "%s: %d inferences between the histograms; per inference:\n", bench, inf
    for (c in b2) { d = (b2[c] - b1[c]) / inf; if (d >= 0.5) { total += d; printf "%9.1f B %7.2f objects  %s\n", d, (n2[c] - n1[c]) / inf, c | "sort -rn" } }
    close("sort -rn")
    printf "%9.1f B in all\n", total
  }' "$work/h1" "$work/h2"
