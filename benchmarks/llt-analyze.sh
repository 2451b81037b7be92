#!/usr/bin/env bash
# llt analyze of a random 2048² grid as whole processes, pairs written with --pairs, side by side in one run with
#   - a NumPy process that only loads the same .npy and argsorts it (the floor any NumPy pipeline pays), and
#   - CubicalRipser's dimension-0 runs writing their pairs (T-construction for 8 neighbours, V-construction for 4),
#     built from its public source when CUBICALRIPSER_SRC names a checkout's src/ folder (never part of the product).
# llt with --dimension 1 adds the holes (all dimensions of a 2-D grid; goal: under 2× the dimension-0 run).
# llt runs twice: the framework-dependent tool (dotnet llt.dll) and the native one (dotnet publish -p:PublishAot=true).
# hyperfine (Debian's package) times each command over 5 runs after a warm-up.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { echo "hyperfine missing: apt-get install hyperfine (skipping)"; exit 0; }
/usr/bin/python3 -c "import numpy" 2>/dev/null || { echo "NumPy missing: apt-get install python3-numpy (skipping)"; exit 0; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 -c "import numpy as np; np.random.seed(0); np.save('$work/grid.npy', np.random.rand(2048, 2048))"
dotnet build -c Release src/LossLandscape.Topology.Cli >/dev/null
dotnet publish -c Release -r "$(dotnet --info | awk '/RID:/ { print $2; exit }')" -p:PublishAot=true -o "$work/native" src/LossLandscape.Topology.Cli >/dev/null
jit="dotnet src/LossLandscape.Topology.Cli/bin/Release/net10.0/llt.dll"
native="$work/native/llt"
commands=(
  "/usr/bin/python3 -c \"import numpy as np; a = np.load('$work/grid.npy'); i = np.argsort(a, axis=None)\""
  "$native analyze $work/grid.npy --pairs $work/full.csv"
  "$jit analyze $work/grid.npy --pairs $work/full-jit.csv"
  "$native analyze $work/grid.npy --graph axis --pairs $work/axis.csv"
  "$native analyze $work/grid.npy --dimension 1 --pairs $work/holes.csv"
)
if [[ -n "${CUBICALRIPSER_SRC:-}" && -f "$CUBICALRIPSER_SRC/cubicalripser.cpp" ]]; then
  (cd "$CUBICALRIPSER_SRC" && for construction in "" _T; do
    g++ -O3 -DNDEBUG -std=c++20 -fopenmp -o "$work/cr$construction" cubicalripser.cpp compute_pairs.cpp coboundary_enumerator.cpp joint_pairs.cpp "dense_cubical_grids$construction.cpp"
  done)
  commands+=("$work/cr_T --maxdim 0 --output $work/cr_t.csv $work/grid.npy" "$work/cr --maxdim 0 --output $work/cr_v.csv $work/grid.npy")
else
  echo "CubicalRipser skipped: set CUBICALRIPSER_SRC to the src/ folder of a checkout of shizuo-kaji/CubicalRipser"
fi
echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores, flags: $(grep -m1 -o -w -E 'avx512f|avx2|asimd' /proc/cpuinfo | sort -u | xargs)"
hyperfine -N -w 1 -r 5 --export-markdown "$work/table.md" "${commands[@]}" >/dev/null
sed -e "s|$work/||g" -e "s|/usr/bin/python3 -c \"import numpy as np; a = np.load('grid.npy'); i = np.argsort(a, axis=None)\"|NumPy load + argsort|" "$work/table.md"
cmp -s "$work/full.csv" "$work/full-jit.csv" && echo "native and JIT llt wrote the same pairs"
if [[ -f "$work/cr_t.csv" ]]; then
  echo "pairs: llt full $(($(wc -l <"$work/full.csv") - 1)) + 1 essential, CubicalRipser T $(wc -l <"$work/cr_t.csv"); llt axis $(($(wc -l <"$work/axis.csv") - 1)) + 1, CubicalRipser V $(wc -l <"$work/cr_v.csv")"
fi
