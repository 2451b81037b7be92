#!/usr/bin/env -S dotnet run
// Topology of a landscape in a .npy file, as a C# file-based app:  dotnet run topology.cs -- landscape.npy
// (without an argument it makes a small two-basin landscape first). Prints the metrics and the JSON summary.
#:package LossLandscape.Topology@0.1.0

using LossLandscape.Topology.Graphs;
using LossLandscape.Topology.IO;
using LossLandscape.Topology.Landscapes;
using LossLandscape.Topology.MergeTrees;
using LossLandscape.Topology.Metrics;

string path = args.Length > 0 ? args[0] : Path.Combine(Path.GetTempPath(), "llt-script-landscape.npy");
if (args.Length == 0)
{
    var demo = Landscape.FromFunction(p => Math.Min((p[0] - 0.5) * (p[0] - 0.5), (p[0] + 0.5) * (p[0] + 0.5) + 0.1) + (p[1] * p[1]),
        LandscapeAxis.Linspace("alpha1", -1, 1, 41), LandscapeAxis.Linspace("alpha2", -1, 1, 41));
    NpyFile.Write(path, demo);
}

Landscape landscape = NpyFile.ReadLandscape(path);
MergeTree tree = new MergeTreeBuilder().Build(GridGraphBuilder.Full, landscape);
TopologyMetrics metrics = TopologyMetrics.Of(tree);
Console.WriteLine($"{path}: {landscape}");
Console.WriteLine($"{metrics.MinimumCount} minima, {metrics.SaddleCount} saddles, average persistence {metrics.AveragePersistence:G6}");
Console.WriteLine(TopologySummary.Of(tree).ToJson());
