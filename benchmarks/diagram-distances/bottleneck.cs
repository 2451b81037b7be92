// Times DiagramDistance.Bottleneck (median of 5) and Wasserstein (once, after one untimed call that compiles it) on the diagrams of two random grids (written for GUDHI to read).
// Run by ../diagram-distances.sh, which times GUDHI on the same files in the same run.
#:project ../../src/LossLandscape.Topology/LossLandscape.Topology.csproj
using System.Diagnostics;
using System.Globalization;
using LossLandscape.Topology.Graphs;
using LossLandscape.Topology.Landscapes;
using LossLandscape.Topology.MergeTrees;
using LossLandscape.Topology.Persistence;

string folder = args[0];
foreach (int side in args.Skip(1).Select(a => int.Parse(a, CultureInfo.InvariantCulture)))
{
    PersistenceDiagram Make(int seed)
    {
        var random = new Random(seed);
        double[] values = Enumerable.Range(0, side * side).Select(_ => random.NextDouble()).ToArray();
        return new MergeTreeBuilder().Build(GridGraphBuilder.Full, Landscape.FromGrid(values, [side, side])).ToPersistenceDiagram();
    }

    PersistenceDiagram a = Make(1);
    PersistenceDiagram b = Make(2);
    File.WriteAllLines(Path.Combine(folder, $"a{side}.txt"), a.Pairs.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Birth:R} {p.Death:R}")));
    File.WriteAllLines(Path.Combine(folder, $"b{side}.txt"), b.Pairs.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Birth:R} {p.Death:R}")));
    DiagramDistance.Bottleneck(a, b); // warm-up
    var times = new List<double>();
    double distance = 0;
    for (int k = 0; k < 5; k++)
    {
        var watch = Stopwatch.StartNew();
        distance = DiagramDistance.Bottleneck(a, b);
        times.Add(watch.Elapsed.TotalMilliseconds);
    }

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{a.Pairs.Length,6} vs {b.Pairs.Length,6}  LossLandscape.Topology bottleneck {distance:R}  median {times.Order().ElementAt(2),8:F1} ms"));
    if (side == int.Parse(args[1], CultureInfo.InvariantCulture))
    {
        DiagramDistance.Wasserstein(a, b, 1); // compiles the auction before the first timed call
    }

    var once = Stopwatch.StartNew();
    double w1 = DiagramDistance.Wasserstein(a, b, 1);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{a.Pairs.Length,6} vs {b.Pairs.Length,6}  LossLandscape.Topology 1-Wasserstein {w1:R}  {once.Elapsed.TotalMilliseconds,8:F1} ms"));
}
