using System.Diagnostics;
using LossLandscape.Topology.Graphs;
using LossLandscape.Topology.MergeTrees;

namespace LossLandscape.Topology.Benchmarks.Graphs;

/// <summary>Stopwatch pass over the unstructured graph builders (<c>-- graphs</c>), for profiling.</summary>
internal static class GraphTiming
{
    public static void Run(int n)
    {
        var random = new Random(42);
        double[] xy = Enumerable.Range(0, 2 * n).Select(_ => random.NextDouble()).ToArray();
        double[] x = Enumerable.Range(0, n).Select(i => xy[2 * i]).ToArray();
        double[] y = Enumerable.Range(0, n).Select(i => xy[(2 * i) + 1]).ToArray();
        double[] values = Enumerable.Range(0, n).Select(_ => random.NextDouble()).ToArray();
        Time("exact kNN (k = 8)", () => new KnnGraphBuilder(8).Build(xy, 2), values);
        if (n <= 2_000_000)
        {
            Time("NN-descent (k = 8)", () => new NnDescentGraphBuilder(8, new NnDescentOptions { Seed = 1 }).Build(xy, 2), values);
        }
        Time("Delaunay", () => DelaunayGraphBuilder.Build(x, y), values);
        Time("Gabriel", () => GabrielGraphBuilder.Build(x, y), values);
        int side = (int)Math.Sqrt(n);
        var grid = Landscapes.Landscape.FromGrid(values.AsSpan(0, side * side), [side, side]);
        Time($"grid {side}² (8-neighbour)", () => GridGraphBuilder.Full.Build(grid), values.AsSpan(0, side * side).ToArray());
    }

    private static void Time(string name, Func<NeighborGraph> build, double[] values)
    {
        var watch = Stopwatch.StartNew();
        NeighborGraph graph = build();
        double seconds = watch.Elapsed.TotalSeconds;

        // The merge tree: best of 3, after a first run that warms the pooled scratch and the JIT.
        MergeTree tree = new MergeTreeBuilder().Build(graph, values);
        double best = double.PositiveInfinity;
        for (int repeat = 0; repeat < 3; repeat++)
        {
            watch.Restart();
            tree = new MergeTreeBuilder().Build(graph, values);
            best = Math.Min(best, watch.Elapsed.TotalSeconds);
        }

        Console.WriteLine($"{name,-24} {values.Length} points: build {seconds:F2} s, {graph.EdgeCount} edges; merge tree {best:F3} s ({tree.MinimumCount} minima)");
    }
}
