#!/usr/bin/env bash
# Compares the start cost of two agent jars (e.g. main's and a branch's) in one session:
# alternates one benchmarks/startup.sh run (a start without, then with the agent) per jar,
# and prints, per jar, the medians of the added wall and CPU milliseconds of those pairs.
#   benchmarks/startup-ab.sh rounds java jarA jarB
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-7}; java=${2:-java}; a=$3; b=$4
out=$(mktemp)
for i in $(seq "$rounds"); do
  for jar in "$a" "$b"; do
    line=$(benchmarks/startup.sh 1 "$java" "$jar" | grep '^run 1:')
    echo "$jar $line" | tee -a "$out"
  done
done
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
for jar in "$a" "$b"; do
  # run 1: without W ms (cpu C ms), with W ms (cpu C ms)
  wall=$(grep "^$jar " "$out" | sed -E 's/.*without ([0-9]+) ms \(cpu ([0-9]+) ms\), with ([0-9]+) ms \(cpu ([0-9]+) ms\)/\3 \1/' | awk '{print $1-$2}' | median)
  cpu=$(grep "^$jar " "$out" | sed -E 's/.*without ([0-9]+) ms \(cpu ([0-9]+) ms\), with ([0-9]+) ms \(cpu ([0-9]+) ms\)/\4 \2/' | awk '{print $1-$2}' | median)
  echo "$jar: median added wall $wall ms, added CPU $cpu ms ($rounds pairs; $($java -version 2>&1 | head -1))"
done
rm -f "$out"
