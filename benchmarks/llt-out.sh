#!/usr/bin/env bash
# llt analyze --out on a random 2048² grid, as a whole process (startup, analysis, every picture, VTK, CSV and JSON
# file, the surface page and report.html), three runs; prints each time and the folder's files.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! /usr/bin/python3 -c "import numpy" 2>/dev/null; then echo "NumPy missing: apt-get install python3-numpy"; exit 0; fi
work=$(mktemp -d)
/usr/bin/python3 -c "import numpy as np; np.random.seed(0); np.save('$work/grid.npy', np.random.rand(2048, 2048))"
dotnet build -c Release src/LossLandscape.Topology.Cli >/dev/null
echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores, flags: $(grep -m1 -o -w -E 'avx512f|avx2' /proc/cpuinfo | sort -u | xargs)"
for run in 1 2 3; do
  rm -rf "$work/out"
  start=$(date +%s.%N)
  dotnet src/LossLandscape.Topology.Cli/bin/Release/net10.0/llt.dll analyze "$work/grid.npy" --pairs "$work/pairs.csv" --out "$work/out" >/dev/null
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" -v r="$run" 'BEGIN { printf "run %d: llt analyze --out, 2048² grid: %.1f s\n", r, b - a }'
done
ls -la "$work/out" | awk 'NR > 1 { printf "  %12s  %s\n", $5, $9 }'
rm -rf "$work"
