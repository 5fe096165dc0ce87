#!/usr/bin/env bash
# Measures agentform on a generated fleet against a seeded sandbox (see
# go doc ./internal/bench): requests, seconds, CPU and peak memory of every
# agentform command, as a Markdown table on standard output.
#
#   scripts/bench.sh LOCATIONS [LATENCY] [SCENARIOS] [FLEETBENCH FLAGS...]
#   scripts/bench.sh 100 0ms                     apply (and the plan after it), then plan
#   scripts/bench.sh 100 20ms apply,plan
#   scripts/bench.sh 10000 0ms plan -tokens agency
#   scripts/bench.sh figures                     every figure of the README's performance section
#
# SCENARIOS: comma-separated apply, plan, drift, validate (default apply,plan).
# Flags after them go to fleetbench: -tokens location|agency (default
# location), -parallelism N, -per-file N, -inline, -drift-every N.
# BENCH_DIR keeps the work folder (manifests, seeds, databases, each
# command's output, its requests by route and its RSS over time).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ $# -lt 1 ]; then
	sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
fi

work=${BENCH_DIR:-}
if [ -z "$work" ]; then
	work=$(mktemp -d)
	trap 'rm -rf "$work"' EXIT
fi
mkdir -p "$work/bin"
go build -o "$work/bin/agentform" ./cmd/agentform
go build -o "$work/bin/fleetbench" ./internal/bench/cmd/fleetbench

fleetbench() { "$work/bin/fleetbench" -bin "$work/bin/agentform" "$@"; }

if [ "$1" = figures ]; then
	echo "## $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, $(go env GOVERSION)"
	echo
	echo "### apply at 100 and 400 locations, no latency; then 100 locations at 20 ms"
	fleetbench -dir "$work/apply-100" -locations 100 -scenarios apply
	fleetbench -dir "$work/apply-400" -locations 400 -scenarios apply | tail -n +3
	fleetbench -dir "$work/latency-100" -locations 100 -latency 20ms -scenarios apply,plan | tail -n +3
	echo
	echo "### 10,000 seeded locations: the loader alone (validate), plan with one agency token, plan and drift with a token per location"
	fleetbench -dir "$work/plan-10000" -locations 10000 -tokens agency -scenarios validate,plan
	fleetbench -dir "$work/plan-10000-tokens" -locations 10000 -scenarios plan,drift | tail -n +3
	echo
	echo "### in process: loading 10,000 manifests, planning 10,000 locations, a 10,000-line prompt diff"
	go test -run '^$' -bench 'BenchmarkLoad|BenchmarkPlan|BenchmarkRenderPromptDiff' -benchtime 1x ./internal/bench -args -locations 10000
	go test -run '^$' -bench 'BenchmarkLines' ./pkg/textdiff
	exit 0
fi

locations=$1
latency=${2:-0ms}
scenarios=${3:-apply,plan}
shift $(($# < 3 ? $# : 3))
fleetbench -dir "$work/run" -locations "$locations" -latency "$latency" -scenarios "$scenarios" "$@"
