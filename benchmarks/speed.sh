#!/usr/bin/env bash
# Every speed number of the project, each beside its anchor, in one run on this machine:
#   1. which vector width the MLP kernels run, and batched vs in-place sampling per point (BenchmarkDotNet);
#   2. the main job quiet and with one competing CPU-bound process (oversubscription.sh);
#   3. llt analyze of a 2048² grid vs NumPy load + argsort and CubicalRipser (llt-analyze.sh; CUBICALRIPSER_SRC);
#   4. llt analyze --out of a 2048² grid (llt-out.sh);
#   5. bottleneck and 1-Wasserstein distances vs GUDHI and Hera (diagram-distances.sh);
#   6. a loss written with autograd, sampled in place and one Hessian-vector product, vs PyTorch (generic path).
# The Debian packages it needs (hyperfine, python3-numpy, python3-gudhi, python3-torch) are installed when apt-get
# can; a part whose tool is missing says so and is skipped. Takes about 15 minutes on 2 cores.
set -uo pipefail
cd "$(dirname "$0")/.."
if command -v apt-get >/dev/null && [[ $(id -u) == 0 ]]; then
  apt-get install -y -qq hyperfine python3-numpy python3-gudhi python3-torch >/dev/null 2>&1 || echo "apt-get could not install every tool; parts may be skipped"
fi
bench="dotnet run -c Release --project benchmarks/LossLandscape.Topology.Benchmarks --"
section() { printf '\n## %s\n\n' "$1"; }

echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores, flags: $(grep -m1 -o -w -E 'avx512f|avx512bw|avx2|fma|asimd' /proc/cpuinfo | sort -u | xargs), $(date -u +%F)"

section "1. MLP kernels and batched sampling (per grid point)"
$bench kernels | head -1
$bench --filter '*LandscapeSamplingBenchmarks*' --exporters markdown 2>/dev/null | grep -E '^\|' || echo "BenchmarkDotNet run failed"

section "2. Main job, quiet and with one competing process"
bash benchmarks/oversubscription.sh

section "3. llt analyze, 2048² random grid, whole processes"
bash benchmarks/llt-analyze.sh

section "4. llt analyze --out, 2048² random grid"
bash benchmarks/llt-out.sh

section "5. Diagram distances"
bash benchmarks/diagram-distances.sh

section "6. Generic path: a loss written with autograd (1 thread)"
$bench generic 1 | grep -v '^libtorch'
if /usr/bin/python3 -c "import torch" 2>/dev/null; then
  /usr/bin/python3 benchmarks/generic-path/pytorch_loop.py 1 | sed "s/^pytorch/pytorch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)')/"
else
  echo "PyTorch missing: apt-get install python3-torch (skipping its side)"
fi
