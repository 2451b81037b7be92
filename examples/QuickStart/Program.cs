using System.Diagnostics;
using System.Globalization;
using LossLandscape.Topology.Graphs;
using LossLandscape.Topology.Landscapes;
using LossLandscape.Topology.MergeTrees;
using LossLandscape.Topology.Metrics;
using LossLandscape.Topology.Persistence;

// A synthetic "loss landscape" with a known structure: a bowl with ripples, the kind of surface a trained
// network shows along two directions. Usage: dotnet run -c Release --project examples/QuickStart [-- <resolution>]
int resolution = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 201;
var alpha1 = LandscapeAxis.Linspace("alpha1", -1, 1, resolution);
var alpha2 = LandscapeAxis.Linspace("alpha2", -1, 1, resolution);
Landscape landscape = Landscape.FromFunction(
    a => (a[0] * a[0]) + (a[1] * a[1]) + (0.15 * Math.Sin(9 * a[0]) * Math.Sin(7 * a[1])),
    alpha1, alpha2);

var watch = Stopwatch.StartNew();
NeighborGraph graph = GridGraphBuilder.Full.Build(landscape);     // the paper's pixel connectivity
MergeTree tree = new MergeTreeBuilder().Build(graph, landscape);
PersistenceDiagram diagram = tree.ToPersistenceDiagram();
TopologyMetrics metrics = TopologyMetrics.Of(tree);
watch.Stop();

Console.WriteLine($"{landscape}: merge tree and diagram in {watch.Elapsed.TotalMilliseconds:F1} ms");
Console.WriteLine($"  minima                     {metrics.MinimumCount}");
Console.WriteLine($"  saddles (distinct / pairs) {metrics.SaddleCount} / {metrics.SaddlePairCount}");
Console.WriteLine($"  average persistence        {metrics.AveragePersistence:G6}  (essential class {metrics.EssentialClass})");
Console.WriteLine($"  max / total persistence    {metrics.MaximumPersistence:G6} / {metrics.TotalPersistence:G6}");
Console.WriteLine($"  persistence entropy        {metrics.PersistenceEntropy:G6}");

Console.WriteLine("Most persistent pairs (birth → death at α):");
foreach (PersistencePair pair in diagram.Pairs.OrderByDescending(p => p.Persistence).Take(5))
{
    double[] at = landscape.GetCoordinates(pair.BirthVertex);
    Console.WriteLine($"  {pair.Birth,9:F5} → {pair.Death,9:F5}  (persistence {pair.Persistence:F5}) minimum at ({at[0]:F2}, {at[1]:F2})");
}

MergeTree simplified = tree.Simplify(PersistenceThreshold.Relative(0.05));
Console.WriteLine($"After removing pairs below 5% of the value range: {simplified.MinimumCount} minima, {simplified.SaddleCount} saddles");
