#!/usr/bin/env bash
# Bottleneck distance between the diagrams of two random grids (≈1,000 and ≈10,000 pairs each), this library
# against GUDHI (Debian's python3-gudhi), same files, same run, medians of 5; and the 1-Wasserstein distance of
# both (this library's auction, GUDHI's Hera), once each.
set -euo pipefail
cd "$(dirname "$0")"
if ! /usr/bin/python3 -c "import gudhi, numpy" 2>/dev/null; then
  echo "GUDHI missing: apt-get install python3-gudhi python3-numpy (skipping the side-by-side)"; exit 0
fi
work=$(mktemp -d)
echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores, flags: $(grep -m1 -o -w -E 'avx512f|avx2' /proc/cpuinfo | sort -u | xargs)"
dotnet run -c Release diagram-distances/bottleneck.cs -- "$work" 95 300
for side in 95 300; do
  /usr/bin/python3 - "$work/a$side.txt" "$work/b$side.txt" <<'PY'
import sys, time, numpy as np, gudhi
a, b = np.loadtxt(sys.argv[1]), np.loadtxt(sys.argv[2])
gudhi.bottleneck_distance(a, b)
times = []
for _ in range(5):
    start = time.perf_counter(); d = gudhi.bottleneck_distance(a, b); times.append(time.perf_counter() - start)
print(f"{len(a):6d} vs {len(b):6d}  GUDHI {gudhi.__version__} bottleneck             {d!r}  median {sorted(times)[2] * 1000:8.1f} ms")
from gudhi.hera import wasserstein_distance
start = time.perf_counter(); w = wasserstein_distance(a, b, order=1, internal_p=float('inf'))
print(f"{len(a):6d} vs {len(b):6d}  GUDHI/Hera 1-Wasserstein {w!r}  {(time.perf_counter() - start) * 1000:8.1f} ms")
PY
done
rm -rf "$work"
