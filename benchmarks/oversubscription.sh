#!/usr/bin/env bash
# The main job (the default PINN convection study) on a quiet machine and with one competing CPU-bound process,
# side by side in one run. The goal: at most 2x the quiet time. The library picks its compute threads from the
# cores that are free when a run starts (ComputeThreads), so the competitor costs a core, not a 20x slowdown.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build -c Release examples/PinnConvection >/dev/null
app=examples/PinnConvection/bin/Release/net10.0/PinnConvection.dll
out=$(mktemp -d)

run() { local start end; start=$(date +%s.%N); dotnet "$app" --quiet --out "$out/$1" >"$out/$1.log"; end=$(date +%s.%N); awk -v a="$start" -v b="$end" 'BEGIN { print b - a }'; }

quiet=$(run quiet)
# One competitor per run: a busy loop that never sleeps, as another job on the node would be.
( while :; do :; done ) &
busy=$!
trap 'kill $busy 2>/dev/null || true' EXIT
contended=$(run contended)
kill "$busy"

echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores"
awk -v q="$quiet" -v c="$contended" 'BEGIN { printf "quiet: %.0f s\nwith one competing CPU-bound process: %.0f s\nratio: %.2f (goal: at most 2)\n", q, c, c / q }'
