using BenchmarkDotNet.Attributes;
using LossLandscape.Topology.Graphs;
using LossLandscape.Topology.Landscapes;
using LossLandscape.Topology.MergeTrees;
using LossLandscape.Topology.Persistence;

namespace LossLandscape.Topology.Benchmarks.Graphs;

/// <summary>
/// Merge tree + persistence diagram of 10⁶ random values on each unstructured graph of 10⁶ uniform random 2-D points,
/// against the 8-neighbour grid of 1000 × 1000 with the same values (the goal: within 2× of the grid).
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 7)]
public class GraphMergeTreeBenchmarks
{
    private const int Side = 1000;
    private double[] _values = null!;
    private NeighborGraph _graph = null!;

    [Params("grid 8-neighbour", "exact kNN", "NN-descent", "Delaunay", "Gabriel")]
    public string Graph { get; set; } = "grid 8-neighbour";

    [GlobalSetup]
    public void Setup()
    {
        int n = Side * Side;
        var random = new Random(42);
        double[] xy = Enumerable.Range(0, 2 * n).Select(_ => random.NextDouble()).ToArray();
        double[] x = Enumerable.Range(0, n).Select(i => xy[2 * i]).ToArray();
        double[] y = Enumerable.Range(0, n).Select(i => xy[(2 * i) + 1]).ToArray();
        _values = Enumerable.Range(0, n).Select(_ => random.NextDouble()).ToArray();
        _graph = Graph switch
        {
            "grid 8-neighbour" => GridGraphBuilder.Full.Build(Landscape.FromGrid(_values, [Side, Side])),
            "exact kNN" => new KnnGraphBuilder(8).Build(xy, 2),
            "NN-descent" => new NnDescentGraphBuilder(8, new NnDescentOptions { Seed = 1 }).Build(xy, 2),
            "Delaunay" => DelaunayGraphBuilder.Build(x, y),
            _ => GabrielGraphBuilder.Build(x, y),
        };
    }

    [Benchmark(Description = "merge tree + diagram")]
    public PersistenceDiagram MergeTree() => new MergeTreeBuilder().Build(_graph, _values).ToPersistenceDiagram();
}
