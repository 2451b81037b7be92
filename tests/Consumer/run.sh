#!/usr/bin/env bash
# The consumer test: pack every package into a local feed, then use them as a researcher would, from outside the
# solution: a console project referencing them by version, the llt tool installed from the feed, and a notebook
# that loads them with #r "nuget: …". Prints "consumer: N passed, M failed" and exits non-zero on any failure.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
feed="$work/feed"
# A fresh version each run: the global package cache can never hand back an older build of the same version.
version="0.1.0-ci.$(date +%Y%m%d%H%M%S)"
passed=0
failed=0
check() { if "$@"; then passed=$((passed + 1)); else echo "consumer check failed: $*" >&2; failed=$((failed + 1)); fi; }

# The README's install route: one pack of the solution into a local feed (with this run's version).
dotnet pack "$root/LossLandscape.Topology.sln" -c Release -p:Version="$version" -o "$feed" >"$work/pack.log" 2>&1 || { cat "$work/pack.log"; echo "consumer: 0 passed, 1 failed"; exit 1; }
echo "packages in $feed:"
ls -la "$feed"

mkdir -p "$work/app"
cp "$root/tests/Consumer/template/Consumer.csproj" "$root/tests/Consumer/template/Program.cs" "$work/app/"
cat >"$work/app/nuget.config" <<NUGET
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="local" value="$feed" />
  </packageSources>
</configuration>
NUGET
app() { dotnet run -c Release --project "$work/app" -p:LltVersion="$version" -- "$work/out" >"$work/app.log" 2>&1 && grep -q "consumer pipeline: ok" "$work/app.log"; }
check app
tail -3 "$work/app.log"

tool() {
  dotnet tool install LossLandscape.Topology.Cli --tool-path "$work/tools" --add-source "$feed" --version "$version" >/dev/null &&
  "$work/tools/llt" analyze "$work/out/landscape.npy" >"$work/llt.json" && grep -q '"minimumCount"' "$work/llt.json"
}
check tool

cat >"$work/consumer.ipynb" <<NOTEBOOK
{
 "cells": [
  {"cell_type": "code", "execution_count": null, "metadata": {"dotnet_interactive": {"language": "csharp"}}, "outputs": [],
   "source": ["#i \"nuget: $feed\"\n", "#r \"nuget: LossLandscape.Topology.Interactive, $version\""]},
  {"cell_type": "code", "execution_count": null, "metadata": {"dotnet_interactive": {"language": "csharp"}}, "outputs": [],
   "source": ["using LossLandscape.Topology.Landscapes;\n", "using LossLandscape.Topology.MergeTrees;\n", "using LossLandscape.Topology.Graphs;\n", "LossLandscape.Topology.Interactive.InteractiveFormatters.Register();\n", "var l = Landscape.FromFunction(p => p[0] * p[0] + Math.Sin(5 * p[1]), LandscapeAxis.Linspace(\"a\", -1, 1, 21), LandscapeAxis.Linspace(\"b\", -1, 1, 21));\n", "var t = new MergeTreeBuilder().Build(GridGraphBuilder.Full, l);\n", "if (t.MinimumCount < 1) throw new Exception(\"no minimum\");\n", "t"]}
 ],
 "metadata": {"kernelspec": {"display_name": ".NET (C#)", "language": "C#", "name": ".net-csharp"}, "language_info": {"name": "C#"}},
 "nbformat": 4, "nbformat_minor": 5
}
NOTEBOOK
notebook() { (cd "$root" && dotnet tool restore >/dev/null && dotnet dotnet-repl --run "$work/consumer.ipynb" --exit-after-run --output-format trx --output-path "$work/notebook.trx" >/dev/null 2>&1) && ! grep -q 'outcome="Failed"' "$work/notebook.trx"; }
check notebook

# C# file-based apps (dotnet run file.cs) against the packed packages: examples/scripts, versions set to this run's.
mkdir -p "$work/scripts"
for script in "$root"/examples/scripts/*.cs; do
  sed "s/^#:package \(LossLandscape[.A-Za-z]*\)@0\.1\.0\$/#:package \1@$version/" "$script" >"$work/scripts/$(basename "$script")"
done
cp "$work/app/nuget.config" "$work/scripts/"
scripts() {
  (cd "$work/scripts" && dotnet run topology.cs >"$work/topology.log" 2>&1) && grep -q '"minimumCount":2' "$work/topology.log" &&
  (cd "$work/scripts" && dotnet run analyze-model.cs >"$work/analyze-model.log" 2>&1) && grep -q '^Hessian' "$work/analyze-model.log"
}
check scripts
tail -n 2 "$work/topology.log" "$work/analyze-model.log"

# A project reference from outside the repository: without the build step, on a libstdc++ that lacks
# GLIBCXX_3.4.32, the first use of the library names the cause and the fix; with the step imported, it runs.
cp -r "$root/tests/Consumer/projref" "$work/projref"
projref() {
  local out
  out=$(dotnet run -c Release --project "$work/projref" -p:LltRoot="$root" 2>&1)
  if grep -qa 'GLIBCXX_3\.4\.32' "$(ls /usr/lib/*-linux-gnu/libstdc++.so.6 2>/dev/null | head -1)"; then
    echo "$out" | grep -q "project reference: ok" || { echo "$out" | tail -5; return 1; }
  else
    echo "$out" | grep -q "needs GLIBCXX_3.4.32" && echo "$out" | grep -q "LossLandscape.Topology.Torch.targets" || { echo "$out" | tail -5; return 1; }
    echo "without the step: $(echo "$out" | grep -o "TorchSharp's native library [^,]*" | head -1) … (the first-use message)"
  fi
  dotnet run -c Release --project "$work/projref" -p:LltRoot="$root" -p:LltImportStep=true 2>&1 | tee "$work/projref.log" | grep -q "project reference: ok" || { tail -5 "$work/projref.log"; return 1; }
}
check projref

# The native llt (README: dotnet publish -p:PublishAot=true): the same JSON as the tool for a grid large enough to be
# swept tile by tile, an .h5 surface (PureHDF's reflection, compiled ahead of time) and an --out folder.
native() {
  local rid
  rid=$(dotnet --info | awk '/RID:/ { print $2; exit }')
  dotnet publish "$root/src/LossLandscape.Topology.Cli" -c Release -r "$rid" -p:PublishAot=true -o "$work/native" >"$work/native.log" 2>&1 || { tail -5 "$work/native.log"; return 1; }
  /usr/bin/python3 - "$work" <<'PY' || return 1
import sys, numpy as np, h5py
work = sys.argv[1]
rng = np.random.default_rng(3)
np.save(f"{work}/big.npy", rng.random((1100, 1100)))
with h5py.File(f"{work}/surface.h5", "w") as f:
    x = np.linspace(-1, 1, 15)
    f["xcoordinates"], f["ycoordinates"], f["train_loss"] = x, x, rng.random((15, 15)).astype(np.float32)
PY
  for input in big.npy surface.h5; do
    "$work/native/llt" analyze "$work/$input" --threads 2 >"$work/native-$input.json" || return 1
    "$work/tools/llt" analyze "$work/$input" --threads 1 >"$work/tool-$input.json" || return 1
    cmp -s "$work/native-$input.json" "$work/tool-$input.json" || { echo "native llt differs from the tool on $input"; return 1; }
  done
  "$work/native/llt" analyze "$work/out/landscape.npy" --out "$work/native-out" >/dev/null && [ -s "$work/native-out/report.html" ] && [ -s "$work/native-out/merge_tree.png" ]
}
check native

echo "consumer: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
